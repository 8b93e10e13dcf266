"""The models every runtime is timed on: single-layer LSTM, GRU and
bidirectional LSTM as ONNX graphs with seeded random weights.

Each graph has one input `x` [T, B, I] (time-major, float32) and one output
`y`: [T, B, H], or [T, B, 2H] for the bidirectional LSTM (forward half
first), so that rnnlite's converter can write the LSTMs as TFLite builtins
(UNIDIRECTIONAL_ / BIDIRECTIONAL_SEQUENCE_LSTM) that LiteRT loads too.
"""

from __future__ import annotations

import dataclasses

import numpy as np

CELLS = ("lstm", "gru", "bilstm")
OPSET = 17


@dataclasses.dataclass(frozen=True, order=True)
class Config:
    cell: str
    T: int
    B: int
    H: int  # I == H

    @property
    def I(self) -> int:  # noqa: E743 (the usual name)
        return self.H

    @property
    def directions(self) -> int:
        return 2 if self.cell == "bilstm" else 1

    @property
    def gates(self) -> int:
        return 3 if self.cell == "gru" else 4

    @property
    def key(self) -> str:
        return f"{self.cell}_T{self.T}_B{self.B}_H{self.H}"

    @property
    def out_width(self) -> int:
        return self.directions * self.H


def weights(cfg: Config, seed: int) -> dict[str, np.ndarray]:
    """ONNX-layout weights: W [D, G*H, I], R [D, G*H, H], B [D, 2*G*H],
    uniform in +-1/sqrt(H) like PyTorch's default init."""
    rng = np.random.default_rng([seed, cfg.H, cfg.gates, cfg.directions])
    k = 1.0 / np.sqrt(cfg.H)
    d, gh = cfg.directions, cfg.gates * cfg.H
    return {
        "W": rng.uniform(-k, k, (d, gh, cfg.I)).astype(np.float32),
        "R": rng.uniform(-k, k, (d, gh, cfg.H)).astype(np.float32),
        "B": rng.uniform(-k, k, (d, 2 * gh)).astype(np.float32),
    }


def inputs(cfg: Config, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, cfg.T, cfg.B, cfg.I, 7])
    return rng.uniform(-1.0, 1.0, (cfg.T, cfg.B, cfg.I)).astype(np.float32)


def onnx_model(cfg: Config, seed: int):
    """The ONNX ModelProto for `cfg` (needs the `onnx` package)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = weights(cfg, seed)
    inits = [numpy_helper.from_array(v, name) for name, v in w.items()]
    op = "GRU" if cfg.cell == "gru" else "LSTM"
    attrs = {"hidden_size": cfg.H}
    if cfg.cell == "gru":
        attrs["linear_before_reset"] = 1  # what PyTorch and cuDNN compute
    if cfg.cell == "bilstm":
        attrs["direction"] = "bidirectional"
    nodes = [helper.make_node(op, ["x", "W", "R", "B"], ["y_stacked"], name="rnn", **attrs)]
    if cfg.directions == 1:
        inits.append(numpy_helper.from_array(np.array([1], np.int64), "squeeze_axes"))
        nodes.append(helper.make_node("Squeeze", ["y_stacked", "squeeze_axes"], ["y"], name="squeeze"))
    else:
        # [T, 2, B, H] -> [T, B, 2, H] -> [T, B, 2H], the way PyTorch exports it.
        inits.append(numpy_helper.from_array(np.array([cfg.T, cfg.B, 2 * cfg.H], np.int64), "y_shape"))
        nodes.append(helper.make_node("Transpose", ["y_stacked"], ["y_t"], name="transpose", perm=[0, 2, 1, 3]))
        nodes.append(helper.make_node("Reshape", ["y_t", "y_shape"], ["y"], name="reshape"))
    graph = helper.make_graph(
        nodes,
        cfg.key,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [cfg.T, cfg.B, cfg.I])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [cfg.T, cfg.B, cfg.out_width])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="rnnlite-peers")
    model.ir_version = 8  # readable by every ONNX Runtime of the last years
    onnx.checker.check_model(model)
    return model


def torch_module(cfg: Config, seed: int, device: str):
    """The same function as a PyTorch nn.LSTM / nn.GRU (cuDNN on a GPU)."""
    import torch

    w = weights(cfg, seed)
    h = cfg.H
    if cfg.cell == "gru":
        # ONNX gate order z, r, h; PyTorch r, z, n.
        order = [1, 0, 2]
        mod = torch.nn.GRU(cfg.I, h)
    else:
        # ONNX i, o, f, c; PyTorch i, f, g(c), o.
        order = [0, 2, 3, 1]
        mod = torch.nn.LSTM(cfg.I, h, bidirectional=cfg.directions == 2)

    def reorder(m: np.ndarray) -> np.ndarray:
        return np.concatenate([m[g * h:(g + 1) * h] for g in order], axis=0)

    gh = cfg.gates * h
    with torch.no_grad():
        for d in range(cfg.directions):
            sfx = "_reverse" if d == 1 else ""
            getattr(mod, "weight_ih_l0" + sfx).copy_(torch.from_numpy(reorder(w["W"][d])))
            getattr(mod, "weight_hh_l0" + sfx).copy_(torch.from_numpy(reorder(w["R"][d])))
            getattr(mod, "bias_ih_l0" + sfx).copy_(torch.from_numpy(reorder(w["B"][d][:gh])))
            getattr(mod, "bias_hh_l0" + sfx).copy_(torch.from_numpy(reorder(w["B"][d][gh:])))
    return mod.to(device).eval()
