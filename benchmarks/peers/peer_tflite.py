"""LSTM models as TFLite builtins (UNIDIRECTIONAL_ / BIDIRECTIONAL_SEQUENCE_LSTM),
the only recurrent form stock LiteRT loads.

rnnlite's converter writes an ONNX LSTM as its RNNLITE_SEQUENCE_RNN custom
op, not as a builtin: ONNX's LSTM returns its final state and starts from
`initial_h`, while the TFLite builtins keep their state in variable
tensors across Invoke calls, so they are not the same function. With zero
initial state, only `Y` used and the variables reset before every run they
are, and that is what this module builds: the same weights as
peer_models.onnx_model (biases summed, gates split in TFLite's i, f, c, o
order), written with Python classes flatc generates from rnnlite's own
schema (schema/tflite_subset.fbs, TFLite's field ids). peers.py then passes
the file through `rnnlite convert`, so LiteRT runs a .tflite rnnlite wrote.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from peer_models import Config, weights

ROOT = Path(__file__).resolve().parents[2]
UNIDIRECTIONAL_SEQUENCE_LSTM = 44
BIDIRECTIONAL_SEQUENCE_LSTM = 52
OPTIONS_UNI, OPTIONS_BI = 71, 69  # BuiltinOptions union values
TANH = 4
FLOAT32 = 0


def load_schema(work: Path):
    """The flatc-generated `tflite` package (object API), made once per work dir."""
    gen = work / "tflite_py"
    if not (gen / "tflite" / "Model.py").exists():
        p = subprocess.run(["flatc", "--python", "--gen-object-api", "-o", str(gen),
                            str(ROOT / "schema" / "tflite_subset.fbs")], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"flatc failed: {p.stderr.strip() or p.stdout.strip()}")
    if str(gen) not in sys.path:
        sys.path.insert(0, str(gen))
    import tflite.Model  # noqa: F401  (generated)

    return sys.modules["tflite"]


def builtin_lstm(cfg: Config, seed: int, path: Path, work: Path) -> None:
    if cfg.cell not in ("lstm", "bilstm"):
        raise ValueError(f"no TFLite builtin for {cfg.cell}")
    load_schema(work)
    from tflite.Buffer import BufferT
    from tflite.BidirectionalSequenceLSTMOptions import BidirectionalSequenceLSTMOptionsT
    from tflite.Model import ModelT
    from tflite.Operator import OperatorT
    from tflite.OperatorCode import OperatorCodeT
    from tflite.SubGraph import SubGraphT
    from tflite.Tensor import TensorT
    from tflite.UnidirectionalSequenceLSTMOptions import UnidirectionalSequenceLSTMOptionsT
    import flatbuffers

    w = weights(cfg, seed)
    H = cfg.H
    buffers = [BufferT()]  # buffer 0: empty, by convention
    tensors = []

    def tensor(name, shape, data=None, variable=False):
        t = TensorT()
        t.name, t.shape, t.type = name, list(shape), FLOAT32
        t.isVariable = variable
        t.buffer = 0
        if data is not None:
            b = BufferT()
            b.data = np.frombuffer(np.ascontiguousarray(data, np.float32).tobytes(), np.uint8)
            buffers.append(b)
            t.buffer = len(buffers) - 1
        tensors.append(t)
        return len(tensors) - 1

    x = tensor("x", (cfg.T, cfg.B, cfg.I))

    def direction(d: int, tag: str) -> dict:
        # ONNX gate blocks i, o, f, c -> TFLite i, f, c, o.
        block = {"i": 0, "o": 1, "f": 2, "c": 3}
        gh = 4 * H
        bias = w["B"][d][:gh] + w["B"][d][gh:]
        part = lambda m, g: m[block[g] * H:(block[g] + 1) * H]  # noqa: E731
        return {
            "in": [tensor(f"{tag}/w_{g}", (H, cfg.I), part(w["W"][d], g)) for g in "ifco"],
            "rec": [tensor(f"{tag}/r_{g}", (H, H), part(w["R"][d], g)) for g in "ifco"],
            "bias": [tensor(f"{tag}/b_{g}", (H,), part(bias, g)) for g in "ifco"],
            # Variables have no buffer (LiteRT rejects one): they start at zero.
            "h": tensor(f"{tag}/h", (cfg.B, H), variable=True),
            "c": tensor(f"{tag}/c", (cfg.B, H), variable=True),
        }

    none3, none2, none4 = [-1] * 3, [-1] * 2, [-1] * 4
    op = OperatorT()
    op.opcodeIndex = 0
    code = OperatorCodeT()
    y = tensor("y", (cfg.T, cfg.B, cfg.out_width))
    if cfg.cell == "lstm":
        fw = direction(0, "fw")
        op.inputs = [x, *fw["in"], *fw["rec"], *none3, *fw["bias"], *none2, fw["h"], fw["c"], *none4]
        opts = UnidirectionalSequenceLSTMOptionsT()
        opts.fusedActivationFunction, opts.timeMajor = TANH, True
        op.builtinOptionsType, code.builtinCode = OPTIONS_UNI, UNIDIRECTIONAL_SEQUENCE_LSTM
    else:
        fw, bw = direction(0, "fw"), direction(1, "bw")
        op.inputs = [x, *fw["in"], *fw["rec"], *none3, *fw["bias"], *none2,
                     *bw["in"], *bw["rec"], *none3, *bw["bias"], *none2,
                     fw["h"], fw["c"], bw["h"], bw["c"], -1, *none4, *none4]
        opts = BidirectionalSequenceLSTMOptionsT()
        opts.fusedActivationFunction, opts.mergeOutputs, opts.timeMajor = TANH, True, True
        op.builtinOptionsType, code.builtinCode = OPTIONS_BI, BIDIRECTIONAL_SEQUENCE_LSTM
    code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    code.version = 1
    op.builtinOptions = opts
    op.outputs = [y]
    sg = SubGraphT()
    sg.tensors, sg.inputs, sg.outputs, sg.operators, sg.name = tensors, [x], [y], [op], "main"
    model = ModelT()
    model.version, model.operatorCodes, model.subgraphs, model.buffers = 3, [code], [sg], buffers
    model.description = f"rnnlite peers: {cfg.key} as a TFLite builtin"
    b = flatbuffers.Builder(1024)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    path.write_bytes(b.Output())
