"""One runner per runtime. Each times `run()` of a prepared model and
returns the median (and the other statistics) in milliseconds plus the
output, so the report can check that every runtime computed the same
function. A runtime that is missing or cannot load a model raises
Unavailable with the reason, which ends up in the table instead of a
crash."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np

from peer_models import Config


class Unavailable(Exception):
    """This runtime cannot run this model here (the message says why)."""


def first_line(text: str, limit: int = 160) -> str:
    for line in str(text).splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 3] + "..."
    return "(no message)"


def stats(times_ms: list[float]) -> dict:
    return {
        "times": list(times_ms),
        "median": statistics.median(times_ms),
        "min": min(times_ms),
        "max": max(times_ms),
        "mean": statistics.fmean(times_ms),
        "runs": len(times_ms),
    }


MIN_RUNS = 3


def time_calls(fn, warmup: int, runs: int, max_seconds: float = 0.0, min_runs: int = MIN_RUNS) -> dict:
    """Median etc. of `runs` calls after `warmup`; stops early (after at
    least `min_runs`) once the timed calls took `max_seconds` (0: no limit),
    as `rnnlite bench --max-seconds` does."""
    for _ in range(warmup):
        fn()
    times = []
    begin = time.perf_counter()
    for i in range(runs):
        if max_seconds > 0 and i >= min_runs and time.perf_counter() - begin > max_seconds:
            break
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return stats(times)


# ---- rnnlite (through its CLI, the way users run it) -------------------------


class Rnnlite:
    """`rnnlite bench --json -` for timing, `rnnlite run` for the output."""

    def __init__(self, cli: str, label: str, threads: int, bench_args: list[str], env: dict | None = None):
        self.cli = cli
        self.label = label
        self.threads = threads
        self.bench_args = bench_args
        self.env = dict(os.environ, **(env or {}))

    def _call(self, args: list[str], timeout: float) -> subprocess.CompletedProcess:
        try:
            return subprocess.run([self.cli, *args], capture_output=True, text=True, timeout=timeout, env=self.env)
        except subprocess.TimeoutExpired as e:
            raise Unavailable(f"timed out after {timeout:.0f} s") from e

    def bench(self, tflite: Path, warmup: int, runs: int, max_seconds: float, timeout: float) -> dict:
        p = self._call(["bench", str(tflite), "--json", "-", "--warmup", str(warmup), "--runs", str(runs),
                        "--max-seconds", str(max_seconds), "--threads", str(self.threads), *self.bench_args],
                       timeout)
        if p.returncode != 0:
            raise Unavailable(first_line(p.stderr))
        report = json.loads(p.stdout)
        s = stats(report["run_ms"])
        s["first_run_ms"] = report["first_run_ms"]
        s["backend"] = report["backend"]["name"]
        s["peak_rss_bytes"] = report["memory"]["peak_rss_bytes"]
        s["device_memory"] = report["memory"]["device"]
        return s

    def output(self, tflite: Path, x_npy: Path, out_dir: Path, timeout: float) -> np.ndarray:
        args = ["run", str(tflite), "--input", f"x={x_npy}", "--output-dir", str(out_dir)]
        args += [a for a in self.bench_args if not a.startswith("--cpu-kernels") and a not in ("fast", "reference")]
        p = self._call(args, timeout)
        if p.returncode != 0:
            raise Unavailable(first_line(p.stderr))
        return np.load(out_dir / "y.npy")


# ---- ONNX Runtime --------------------------------------------------------------


class OnnxRuntime:
    def __init__(self, threads: int, provider: str = "CPUExecutionProvider"):
        try:
            import onnxruntime as ort
        except ImportError as e:
            raise Unavailable(f"python package onnxruntime not importable: {e}") from e
        if provider not in ort.get_available_providers():
            raise Unavailable(f"{provider} not in this onnxruntime build ({', '.join(ort.get_available_providers())})")
        self.ort = ort
        self.threads = threads
        self.provider = provider
        self.version = ort.__version__

    def prepare(self, onnx_path: Path, x: np.ndarray):
        so = self.ort.SessionOptions()
        so.intra_op_num_threads = self.threads
        so.inter_op_num_threads = 1
        so.execution_mode = self.ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = self.ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            sess = self.ort.InferenceSession(str(onnx_path), so, providers=[self.provider])
        except Exception as e:  # noqa: BLE001 (any load failure is a reason to report)
            raise Unavailable(f"cannot load: {first_line(e)}") from e
        if self.provider == "CUDAExecutionProvider":
            # Input and output stay on the GPU, as PyTorch's do, so both
            # times measure the recurrence and not PCIe copies.
            binding = sess.io_binding()
            x_dev = self.ort.OrtValue.ortvalue_from_numpy(x, "cuda", 0)
            binding.bind_ortvalue_input("x", x_dev)
            binding.bind_output("y", "cuda")

            def run():
                sess.run_with_iobinding(binding)
                return binding.get_outputs()[0]

            return run, lambda: binding.copy_outputs_to_cpu()[0]
        return (lambda: sess.run(["y"], {"x": x})[0]), None


# ---- LiteRT ---------------------------------------------------------------------


class LiteRt:
    def __init__(self, threads: int):
        try:
            from ai_edge_litert import interpreter as litert
        except ImportError as e:
            raise Unavailable(f"python package ai-edge-litert not importable: {e}") from e
        self.litert = litert
        self.threads = threads
        try:
            from importlib.metadata import version

            self.version = version("ai-edge-litert")
        except Exception:  # noqa: BLE001
            self.version = "?"

    def prepare(self, tflite: Path, x: np.ndarray):
        try:
            interp = self.litert.Interpreter(model_path=str(tflite), num_threads=self.threads)
            interp.allocate_tensors()
        except Exception as e:  # noqa: BLE001
            raise Unavailable(f"cannot load: {first_line(e)}") from e
        inp = interp.get_input_details()[0]["index"]
        out = interp.get_output_details()[0]["index"]

        def run():
            # TFLite's sequence LSTMs keep their state in variable tensors;
            # every run starts from zeros, like the other runtimes'.
            interp.reset_all_variables()
            interp.set_tensor(inp, x)
            interp.invoke()

        return run, lambda: interp.get_tensor(out)


# ---- PyTorch (cuDNN on an NVIDIA GPU) ---------------------------------------------


class Torch:
    def __init__(self, device: str, threads: int):
        try:
            import torch
        except ImportError as e:
            raise Unavailable(f"python package torch not importable: {e}") from e
        if device == "cuda" and not torch.cuda.is_available():
            raise Unavailable("torch.cuda.is_available() is False")
        self.torch = torch
        self.device = device
        self.version = torch.__version__
        if device == "cpu":
            torch.set_num_threads(threads)

    def prepare(self, cfg: Config, seed: int, x: np.ndarray):
        import peer_models

        torch = self.torch
        mod = peer_models.torch_module(cfg, seed, self.device)
        xt = torch.from_numpy(x).to(self.device)
        sync = torch.cuda.synchronize if self.device == "cuda" else (lambda: None)

        def run():
            with torch.inference_mode():
                y, _ = mod(xt)
            sync()
            return y

        return run, lambda: run().cpu().numpy()
