#!/usr/bin/env python3
"""rnnlite next to its peers, on one machine, in one run.

Builds single-layer LSTM, GRU and bidirectional LSTM ONNX models from seeded
random weights, converts them with `rnnlite convert`, and times the same
function with the same inputs on:

  rnnlite        `rnnlite bench --json -` per backend (cpu fast; cpu reference
                 with --reference; vulkan when it loads)
  onnxruntime    CPU execution provider, intra_op_num_threads = --threads
  litert         ai-edge-litert's Interpreter on the .tflite rnnlite wrote
                 (only builtin ops load there; GRU is a custom op)
  torch-cuda     PyTorch nn.LSTM / nn.GRU on cuDNN   } only with an NVIDIA GPU
  onnxruntime-cuda  ORT's CUDA execution provider    }

Every runtime's output is compared with ONNX Runtime's (max abs diff), so
the table compares the same function. Writes docs/perf/peers-<label>.md,
.json and two PNG plots (µs per step against T and against B).

Usually started through scripts/peers, which sets up .venv-peers.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_models  # noqa: E402
import peer_report  # noqa: E402
import peer_tflite  # noqa: E402
from peer_models import CELLS, Config  # noqa: E402
from peer_runtimes import MIN_RUNS, LiteRt, OnnxRuntime, Rnnlite, Torch, Unavailable, first_line, stats, time_calls  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MISMATCH_ABS = 1e-3  # float32 over thousands of steps stays far below this


def grid(quick: bool, cells: list[str]) -> tuple[list[Config], dict]:
    """Configs to run and which of them form the T and B sweeps (plots)."""
    if quick:
        main = [(1000, b, h) for b in (1, 16) for h in (256,)]
        t_sweep, b_sweep = (128, 1024), (1, 4, 16)
    else:
        main = [(1000, b, h) for b in (1, 16, 64) for h in (256, 512)]
        t_sweep, b_sweep = (128, 1024, 8192), (1, 4, 16, 64)
    sweep_h = 256
    configs: set[Config] = set()
    sweeps = {"T": [], "B": []}
    for c in cells:
        configs.update(Config(c, t, b, h) for t, b, h in main)
        for t in t_sweep:
            configs.add(Config(c, t, 1, sweep_h))
            sweeps["T"].append(Config(c, t, 1, sweep_h))
        for b in b_sweep:
            configs.add(Config(c, 1000, b, sweep_h))
            sweeps["B"].append(Config(c, 1000, b, sweep_h))
    order = {c: i for i, c in enumerate(CELLS)}
    return sorted(configs, key=lambda k: (order[k.cell], k.H, k.T, k.B)), sweeps


def machine_info(threads: int) -> dict:
    def sh(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    model = ""
    for line in sh(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    commit = sh(["git", "rev-parse", "--short=12", "HEAD"]) or "unknown"
    if sh(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " + uncommitted changes"
    gpu = sh(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"]) if shutil.which("nvidia-smi") else ""
    return {
        "host": socket.gethostname(),
        "cpu": model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "gpu": gpu.splitlines()[0] if gpu else "",
        "threads": threads,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg(),
    }


def max_abs_diff(a: np.ndarray, ref: np.ndarray) -> float:
    a = np.asarray(a)
    if a.shape != ref.shape:
        return float("inf")
    d = np.abs(a.astype(np.float64) - ref.astype(np.float64))
    return float(np.nan_to_num(d, nan=np.inf).max()) if d.size else 0.0


class Runner:
    def __init__(self, args):
        self.args = args
        self.work = Path(args.work_dir)
        self.work.mkdir(parents=True, exist_ok=True)
        self.results: list[dict] = []
        self.notes: list[str] = []
        self.versions: dict[str, str] = {}
        self.skip: dict[str, str] = {}  # runtime -> why it is not run at all
        self.peers = {}
        self._setup_peers()
        self.rnnlite = self._setup_rnnlite()

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
            print(f"note: {text}", flush=True)

    def _setup_peers(self) -> None:
        a = self.args
        try:
            self.peers["onnxruntime"] = OnnxRuntime(a.threads)
            self.versions["onnxruntime"] = self.peers["onnxruntime"].version
        except Unavailable as e:
            sys.exit(f"peers: ONNX Runtime is the baseline of every ratio and is unavailable: {e}")
        try:
            self.peers["litert"] = LiteRt(a.threads)
            self.versions["ai-edge-litert"] = self.peers["litert"].version
        except Unavailable as e:
            self.skip["litert"] = str(e)
        gpu = bool(shutil.which("nvidia-smi")) and subprocess.run(["nvidia-smi", "-L"], capture_output=True).returncode == 0
        if not gpu and not a.torch_cpu:
            self.note("no NVIDIA GPU here: PyTorch cuDNN and ONNX Runtime CUDA are not run")
        if gpu:
            try:
                self.peers["torch-cuda"] = Torch("cuda", a.threads)
                self.versions["torch"] = self.peers["torch-cuda"].version
            except Unavailable as e:
                self.skip["torch-cuda"] = str(e)
            try:
                self.peers["onnxruntime-cuda"] = OnnxRuntime(a.threads, "CUDAExecutionProvider")
            except Unavailable as e:
                self.skip["onnxruntime-cuda"] = str(e)
        if a.torch_cpu:
            try:
                self.peers["torch-cpu"] = Torch("cpu", a.threads)
                self.versions["torch"] = self.peers["torch-cpu"].version
            except Unavailable as e:
                self.skip["torch-cpu"] = str(e)

    def _setup_rnnlite(self) -> dict[str, Rnnlite]:
        a = self.args
        cli = a.cli
        if not Path(cli).is_file():
            sys.exit(f"peers: {cli} does not exist; build it first (cmake --preset default && cmake --build --preset default)")
        version = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.strip()
        self.versions["rnnlite"] = version.removeprefix("rnnlite ").strip() or "?"
        backends = {"rnnlite-cpu": Rnnlite(cli, "rnnlite-cpu", a.threads, ["--cpu-kernels", "fast"])}
        for t in a.rnnlite_threads_also:
            # Same kernels, another thread count: shows how they scale.
            backends[f"rnnlite-cpu-{t}t"] = Rnnlite(cli, f"rnnlite-cpu-{t}t", t, ["--cpu-kernels", "fast"])
        if a.reference:
            backends["rnnlite-cpu-ref"] = Rnnlite(cli, "rnnlite-cpu-ref", a.threads, ["--cpu-kernels", "reference"])
        if a.vulkan != "off":
            args = ["--delegate", "vulkan", "--require-full-delegation"]
            if a.vulkan == "lavapipe":
                args += ["--delegate-option", "allow_cpu_device=1"]
            backends["rnnlite-vulkan"] = Rnnlite(cli, "rnnlite-vulkan", a.threads, args)
        if a.cuda:
            backends["rnnlite-cuda"] = Rnnlite(cli, "rnnlite-cuda", a.threads,
                                               ["--delegate", "cuda", "--require-full-delegation"])
        return backends

    def model_files(self, cfg: Config) -> tuple[Path, Path, Path, np.ndarray]:
        onnx_path = self.work / f"{cfg.key}.onnx"
        tflite = self.work / f"{cfg.key}.tflite"
        x_npy = self.work / f"{cfg.key}.x.npy"
        import onnx

        onnx.save(peer_models.onnx_model(cfg, self.args.seed), str(onnx_path))
        x = peer_models.inputs(cfg, self.args.seed)
        np.save(x_npy, x)
        p = subprocess.run([self.args.cli, "convert", str(onnx_path), "-o", str(tflite)], capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise Unavailable(f"rnnlite convert failed: {first_line(p.stderr)}")
        return onnx_path, tflite, x_npy, x

    def litert_file(self, cfg: Config, tflite: Path) -> Path:
        """What LiteRT runs: for the LSTMs the same function as TFLite
        builtins (peer_tflite.py), passed through `rnnlite convert`; for the
        GRU rnnlite's own file, which LiteRT cannot load (custom op)."""
        if cfg.cell not in ("lstm", "bilstm"):
            return tflite
        raw = self.work / f"{cfg.key}.builtin-in.tflite"
        out = self.work / f"{cfg.key}.builtin.tflite"
        try:
            peer_tflite.builtin_lstm(cfg, self.args.seed, raw, self.work)
        except Exception as e:  # noqa: BLE001
            self.note(f"cannot write TFLite builtin LSTMs ({first_line(e)}); LiteRT gets rnnlite's custom-op file")
            return tflite
        p = subprocess.run([self.args.cli, "convert", str(raw), "-o", str(out)], capture_output=True, text=True)
        if p.returncode != 0:
            raise Unavailable(f"rnnlite convert of the builtin LSTM failed: {first_line(p.stderr)}")
        return out

    def record(self, cfg: Config, runtime: str, **kw) -> None:
        row = {"cell": cfg.cell, "T": cfg.T, "B": cfg.B, "H": cfg.H, "runtime": runtime, **kw}
        self.results.append(row)
        if "median" in row:
            diff = row.get("max_abs_diff")
            print(f"  {runtime:18s} median {row['median']:10.3f} ms  {1e3 * row['median'] / cfg.T:9.2f} us/step"
                  f"  runs {row['runs']:3d}  max|diff| {diff if diff is not None else '-'}", flush=True)
        else:
            print(f"  {runtime:18s} {row.get('error')}", flush=True)

    def run_config(self, cfg: Config) -> None:
        """Prepares every runtime and checks its output once, then times them
        in `--rounds` interleaved rounds (ORT, each rnnlite backend, the other
        peers, again and again) and pools each runtime's runs: a slow phase
        of the machine then lands on every runtime alike instead of on
        whichever happened to run during it."""
        a = self.args
        print(f"{cfg.key}", flush=True)
        try:
            onnx_path, tflite, x_npy, x = self.model_files(cfg)
        except Unavailable as e:
            for name in ["onnxruntime", *self.rnnlite, "litert"]:
                self.record(cfg, name, error=str(e))
            return
        rounds = max(1, a.rounds)
        runs = max(1, -(-a.runs // rounds))
        seconds = a.max_seconds / rounds
        # With several rounds the minimum of MIN_RUNS holds over the rounds.
        min_runs = 1 if rounds > 1 else MIN_RUNS
        # (runtime, time one round given the warmup count, max abs diff)
        timers: list[tuple[str, object, float]] = []

        ort = self.peers["onnxruntime"]
        run, _ = ort.prepare(onnx_path, x)
        ref = run()
        time.sleep(a.settle)
        first = time_calls(run, a.warmup, runs, seconds, min_runs)
        if first["median"] * runs > 1e3 * seconds:
            # Long runs: as many per round as fit its share of the time
            # (ORT's time as the estimate), the same count for every runtime.
            runs = max(1, min(runs, int(1e3 * seconds / first["median"])))
        timers.append(("onnxruntime", lambda w, run=run: time_calls(run, w, runs, seconds, min_runs), 0.0))
        # Generous: the reference kernels on a busy machine can be 100x slower than ORT.
        timeout = 600 + 3 * a.max_seconds + 200 * first["median"] / 1e3

        for name, rl in self.rnnlite.items():
            if name in self.skip:
                continue  # a backend that does not load: said once, under Notes
            try:
                y = rl.output(tflite, x_npy, self.work / f"{cfg.key}.{name}", timeout)
            except Unavailable as e:
                if name in ("rnnlite-vulkan", "rnnlite-cuda"):
                    # A backend that does not load fails the same way on every model.
                    self.skip[name] = f"not run: {e}"
                self.record(cfg, name, error=str(e))
                continue
            timers.append((name, lambda w, rl=rl: rl.bench(tflite, a.warmup, runs, seconds, timeout),
                           max_abs_diff(y, ref)))

        for name in ("litert", "torch-cpu", "torch-cuda", "onnxruntime-cuda"):
            if name in self.skip and name != "litert":
                continue
            if name not in self.peers:
                if name == "litert" and name in self.skip:
                    self.record(cfg, name, error=self.skip[name])
                continue
            peer = self.peers[name]
            try:
                if name == "litert":
                    run, fetch = peer.prepare(self.litert_file(cfg, tflite), x)
                elif name.startswith("torch"):
                    run, fetch = peer.prepare(cfg, a.seed, x)
                else:
                    run, fetch = peer.prepare(onnx_path, x)
                run()
                y = fetch()
            except Unavailable as e:
                self.record(cfg, name, error=str(e))
                continue
            except Exception as e:  # noqa: BLE001 (a peer's failure is a table entry, not a crash)
                self.record(cfg, name, error=f"failed: {first_line(e)}")
                continue
            timers.append((name, lambda w, run=run: time_calls(run, w, runs, seconds, min_runs),
                           max_abs_diff(np.asarray(y), ref)))

        pooled: dict[str, dict] = {}
        failed: dict[str, str] = {}
        for r in range(rounds):
            # In-process runtimes warm up in the first round only; rnnlite is
            # a new process each round and warms up in each (untimed anyway).
            warmup = a.warmup if r == 0 else 0
            for name, time_round, _ in timers:
                if name in failed:
                    continue
                # The previous runtime's pool threads keep spinning for a
                # while after its last run (ONNX Runtime's do by default),
                # taking cores from whichever runtime comes next.
                time.sleep(a.settle)
                try:
                    st = first if (r == 0 and name == "onnxruntime") else time_round(warmup)
                except Unavailable as e:
                    failed[name] = str(e)
                    continue
                except Exception as e:  # noqa: BLE001
                    failed[name] = f"failed: {first_line(e)}"
                    continue
                if name not in pooled:
                    pooled[name] = st
                else:
                    pooled[name]["times"] += st["times"]
        for name, _, diff in timers:
            if name in failed:
                self.record(cfg, name, error=failed[name])
                continue
            st = pooled[name]
            st.update(stats(st["times"]))
            st["rounds"] = rounds
            self.record(cfg, name, **st, max_abs_diff=diff)


def cpu_snapshot() -> tuple[float, float, float]:
    """(busy, steal, own) CPU seconds so far: busy = every core's non-idle
    time from /proc/stat (steal included: the hypervisor gave the time to
    someone else), own = this process and its waited-for children (the
    rnnlite processes). Zeros where /proc/stat is missing."""
    own = sum(os.times()[:4])
    try:
        fields = open("/proc/stat").readline().split()[1:]
        v = [int(x) for x in fields]
    except (OSError, ValueError):
        return 0.0, 0.0, own
    hz = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq = v[:7]
    steal = v[7] if len(v) > 7 else 0
    return (user + nice + system + irq + softirq + steal) / hz, steal / hz, own


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=str(ROOT / "build/bin/rnnlite"), help="the rnnlite binary")
    ap.add_argument("--quick", action="store_true", help="small grid (minutes, not an hour)")
    ap.add_argument("--cells", default=",".join(CELLS), help="comma list of lstm, gru, bilstm")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads for every runtime (default 2)")
    ap.add_argument("--runs", type=int, default=10, help="timed runs per measurement at most (default 10)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs before each round's timed runs")
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds of idle before each runtime's turn, so the previous runtime's spinning threads "
                         "stop taking cores (default 0.5)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="interleaved rounds per configuration; --runs and --max-seconds are split over them "
                         "(default 3)")
    ap.add_argument("--max-seconds", type=float, default=10.0,
                    help="fewer runs (at least 3) where a measurement would take longer")
    ap.add_argument("--reference", action="store_true", help="also time rnnlite's CPU reference kernels")
    ap.add_argument("--rnnlite-threads-also", type=lambda v: [int(t) for t in v.split(",") if t], default=[],
                    metavar="N,...", help="also time rnnlite's fast CPU kernels with these thread counts")
    ap.add_argument("--vulkan", choices=("auto", "off", "lavapipe"), default="auto",
                    help="auto: Vulkan on a GPU when it loads; lavapipe: also on the CPU (slow)")
    ap.add_argument("--cuda", action="store_true", default=None,
                    help="also try rnnlite's CUDA backend (default: when an NVIDIA GPU is present)")
    ap.add_argument("--torch-cpu", action="store_true", help="also time PyTorch on the CPU")
    ap.add_argument("--config", action="append", default=[], metavar="CELL:T:B:H",
                    help="run only these configurations (repeatable), e.g. lstm:1000:1:256")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--label", default=None, help="report name: docs/perf/peers-<label>.md (default: hostname)")
    ap.add_argument("--note", default="", help="free text for the report (e.g. what else ran)")
    ap.add_argument("--out-dir", default=str(ROOT / "docs/perf"))
    ap.add_argument("--work-dir", default=str(ROOT / "build/peers"), help="models, inputs and outputs")
    args = ap.parse_args()
    cells = [c for c in args.cells.split(",") if c]
    bad = [c for c in cells if c not in CELLS]
    if bad:
        ap.error(f"--cells: unknown {bad}; choose from {CELLS}")
    if args.cuda is None:
        args.cuda = bool(shutil.which("nvidia-smi"))
    label = args.label or socket.gethostname()

    info = machine_info(args.threads)
    configs, sweeps = grid(args.quick, cells)
    if args.config:
        try:
            configs = [Config(c, int(t), int(b), int(h)) for c, t, b, h in (x.split(":") for x in args.config)]
        except ValueError:
            ap.error("--config expects CELL:T:B:H, e.g. lstm:1000:1:256")
        if any(c.cell not in CELLS or min(c.T, c.B, c.H) < 1 for c in configs):
            ap.error(f"--config: cell one of {CELLS}, T, B, H positive")
        sweeps = {"T": [], "B": []}
    runner = Runner(args)
    print(f"peers: {len(configs)} models, {info['cpu']}, {info['cores']} cores, threads {args.threads}, "
          f"load average {' '.join(f'{v:.1f}' for v in info['loadavg_start'])}", flush=True)
    started = time.time()
    busy0, steal0, own0 = cpu_snapshot()
    for cfg in configs:
        runner.run_config(cfg)
    busy1, steal1, own1 = cpu_snapshot()
    info["loadavg_end"] = os.getloadavg()
    info["wall_s"] = time.time() - started
    # The load average counts the benchmark's own threads (on a 2-core
    # machine 2 threads are a load of 2 by themselves); what competed with
    # it is the CPU time nobody in this run used.
    capacity = max(1e-9, info["wall_s"] * (info["cores"] or 1))
    if busy1 > 0:
        info["other_cpu_fraction"] = max(0.0, (busy1 - busy0) - (own1 - own0) - (steal1 - steal0)) / capacity
        info["steal_fraction"] = (steal1 - steal0) / capacity
    for name, why in runner.skip.items():
        runner.note(f"{name}: {why}")
        if not any(r["runtime"] == name and "median" in r for r in runner.results):
            runner.results = [r for r in runner.results if r["runtime"] != name]
    bad_rows = [r for r in runner.results if r.get("max_abs_diff") is not None and r["max_abs_diff"] > MISMATCH_ABS]
    for r in bad_rows:
        runner.note(f"{r['runtime']} disagrees with ONNX Runtime on {r['cell']} T={r['T']} B={r['B']} H={r['H']}: "
                    f"max abs diff {r['max_abs_diff']:.3g}")

    report = peer_report.Report(info=info, args=vars(args), versions=runner.versions, results=runner.results,
                                notes=runner.notes, sweeps=sweeps,
                                grid="custom (--config)" if args.config else "--quick" if args.quick else "full")
    print()
    print(report.console_table())
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = report.write(out_dir, label)
    for p in written:
        print(f"wrote {p}")
    return 1 if bad_rows else 0


if __name__ == "__main__":
    sys.exit(main())
