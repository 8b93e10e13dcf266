#!/usr/bin/env python3
"""Generates the small ONNX models and reference vectors rnnlite's converter
tests use (tests/conformance/onnx_generated_test.cc, tests/unit/onnx_*).

Needs only `pip install onnx numpy`. Expected outputs come from
onnx.reference.ReferenceEvaluator for ordinary ops and from the numpy
reference below for LSTM/GRU/RNN (the ONNX reference ignores
sequence_lens, clip, activations and input_forget). Each case is a folder:
model.onnx, in_<input>.npy, out_<output>.npy (same layout as
../shared/testdata). Re-run after editing; outputs are deterministic.

The "torch_*" cases reproduce the graph patterns torch.onnx.export emits for
nn.LSTM / nn.GRU / nn.RNN (batch_first transposes, zero initial states built
from Shape/Gather/Unsqueeze/Concat/ConstantOfShape, the Transpose+Reshape
after bidirectional layers, Squeeze after unidirectional ones) with dynamic
batch and time, so CI needs no PyTorch.
"""
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from onnx.reference.op_run import OpRun

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20240611)
F = TensorProto.FLOAT


def rand(*shape, scale=0.5):
    return (RNG.uniform(-1.0, 1.0, size=shape) * scale).astype(np.float32)


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


class LegacySoftmax(OpRun):
    """Softmax before opset 13: softmax over the input flattened to 2-D at
    `axis` (onnx.reference applies opset-13 semantics to every version)."""
    op_domain = ""

    def _run(self, x, axis=None):
        axis = 1 if axis is None else axis
        axis = axis + x.ndim if axis < 0 else axis
        f = x.reshape(int(np.prod(x.shape[:axis])), -1)
        e = np.exp(f - f.max(axis=1, keepdims=True))
        return ((e / e.sum(axis=1, keepdims=True)).reshape(x.shape).astype(x.dtype),)


LegacySoftmax.__name__ = "Softmax"


class InferenceBatchNorm(OpRun):
    """y = (x - mean) / sqrt(var + epsilon) * scale + B, per channel (axis 1)."""
    op_domain = ""

    def _run(self, x, scale, bias, mean, var, epsilon=None, momentum=None, spatial=None, training_mode=None):
        eps = 1e-5 if epsilon is None else epsilon
        shape = (1, -1) + (1,) * (x.ndim - 2)
        r = lambda v: v.reshape(shape).astype(np.float64)
        y = (x - r(mean)) / np.sqrt(r(var) + eps) * r(scale) + r(bias)
        return (y.astype(x.dtype),)


InferenceBatchNorm.__name__ = "BatchNormalization"


def save(case, graph, opset, inputs, outputs=None, ir_version=8, external=False):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="rnnlite-tests")
    model.ir_version = ir_version
    d = os.path.join(HERE, case)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    if external:
        # Every initializer in one side file, as large exports store weights.
        onnx.save(model, os.path.join(d, "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                  location="weights.bin", size_threshold=0)
    else:
        onnx.save(model, os.path.join(d, "model.onnx"))
    if outputs is None:
        overrides = [InferenceBatchNorm] + ([LegacySoftmax] if opset < 13 else [])
        res = ReferenceEvaluator(model, new_ops=overrides).run(None, inputs)
        outputs = {o.name: r for o, r in zip(graph.output, res)}
    for k, v in inputs.items():
        np.save(os.path.join(d, "in_" + k + ".npy"), v)
    for k, v in outputs.items():
        np.save(os.path.join(d, "out_" + k + ".npy"), np.asarray(v))


# --------------------------------------------------------------------------
# numpy reference of ONNX LSTM / GRU / RNN (onnxruntime's conventions:
# alpha/beta consumed only by activations that take them, steps past a
# sequence's length write zeros, final state = state at the last valid step,
# input_forget computes f = 1 - i).

NEEDS_ALPHA = {"affine", "leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu"}
NEEDS_BETA = {"affine", "scaledtanh", "hardsigmoid"}
DEFAULTS = {"leakyrelu": (0.01, 0.0), "hardsigmoid": (0.2, 0.5), "elu": (1.0, 0.0)}


def act(name, a, b):
    n = name.lower()
    return {
        "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
        "tanh": np.tanh,
        "relu": lambda x: np.maximum(x, 0),
        "hardsigmoid": lambda x: np.clip(a * x + b, 0, 1),
        "leakyrelu": lambda x: np.where(x >= 0, x, a * x),
        "scaledtanh": lambda x: a * np.tanh(b * x),
        "affine": lambda x: a * x + b,
        "elu": lambda x: np.where(x >= 0, x, a * (np.exp(x) - 1)),
        "softsign": lambda x: x / (1 + np.abs(x)),
        "softplus": lambda x: np.log1p(np.exp(x)),
    }[n]


def parse_acts(names, alphas, betas, per_dir, dirs):
    fs, ia, ib = [], 0, 0
    for n in names:
        a, b = DEFAULTS.get(n.lower(), (0.0, 0.0))
        if n.lower() in NEEDS_ALPHA and ia < len(alphas):
            a, ia = alphas[ia], ia + 1
        if n.lower() in NEEDS_BETA and ib < len(betas):
            b, ib = betas[ib], ib + 1
        fs.append(act(n, a, b))
    if len(fs) == per_dir and dirs == 2:
        fs = fs + fs
    return fs


def rnn_ref(cell, X, W, R, B=None, seq=None, h0=None, c0=None, P=None, direction="forward",
            activations=None, alphas=(), betas=(), clip=None, input_forget=0, lbr=0, layout=0):
    X = X.astype(np.float64)
    if layout:
        X = X.transpose(1, 0, 2)
        h0 = None if h0 is None else h0.transpose(1, 0, 2)
        c0 = None if c0 is None else c0.transpose(1, 0, 2)
    T, Bn, _ = X.shape
    D = 2 if direction == "bidirectional" else 1
    G = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    H = R.shape[-1]
    per_dir = {"lstm": 3, "gru": 2, "rnn": 1}[cell]
    default = {"lstm": ["Sigmoid", "Tanh", "Tanh"], "gru": ["Sigmoid", "Tanh"], "rnn": ["Tanh"]}[cell]
    fs = parse_acts(activations or default, list(alphas), list(betas), per_dir, D)
    B = np.zeros((D, 2 * G * H)) if B is None else B
    seq = np.full(Bn, T) if seq is None else seq
    Y = np.zeros((T, D, Bn, H))
    Yh = np.zeros((D, Bn, H))
    Yc = np.zeros((D, Bn, H))
    cl = (lambda v: np.clip(v, -clip, clip)) if clip else (lambda v: v)
    for d in range(D):
        rev = direction == "reverse" or d == 1
        f = fs[d * per_dir:(d + 1) * per_dir]
        w, r = W[d].astype(np.float64), R[d].astype(np.float64)
        wb, rb = B[d, :G * H], B[d, G * H:]
        for b in range(Bn):
            h = np.zeros(H) if h0 is None else h0[d, b].astype(np.float64)
            c = np.zeros(H) if c0 is None else c0[d, b].astype(np.float64)
            steps = range(seq[b] - 1, -1, -1) if rev else range(seq[b])
            for t in steps:
                x = X[t, b]
                if cell == "lstm":
                    g = x @ w.T + h @ r.T + wb + rb
                    gi, go, gf, gc = np.split(g, 4)
                    p = np.zeros((3, H)) if P is None else P[d].reshape(3, H)
                    i = f[0](cl(gi + p[0] * c))
                    fg = 1 - i if input_forget else f[0](cl(gf + p[2] * c))
                    ct = f[1](cl(gc))
                    c = fg * c + i * ct
                    o = f[0](cl(go + p[1] * c))
                    h = o * f[2](c)
                elif cell == "gru":
                    xw = x @ w.T + wb
                    hz, hr, hh = np.split(h @ r.T + rb, 3)
                    xz, xr, xh = np.split(xw, 3)
                    z = f[0](cl(xz + hz))
                    rr = f[0](cl(xr + hr))
                    if lbr:
                        n = f[1](cl(xh + rr * hh))
                    else:
                        n = f[1](cl(xh + (rr * h) @ r[2 * H:].T + rb[2 * H:]))
                    h = (1 - z) * n + z * h
                else:
                    h = f[0](cl(x @ w.T + h @ r.T + wb + rb))
                Y[t, d, b] = h
            Yh[d, b], Yc[d, b] = h, c
    if layout:
        Y, Yh, Yc = Y.transpose(2, 0, 1, 3), Yh.transpose(1, 0, 2), Yc.transpose(1, 0, 2)
    f32 = lambda a: a.astype(np.float32)
    return f32(Y), f32(Yh), f32(Yc)


def rnn_weights(cell, D, H, I):
    G = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    return rand(D, G * H, I), rand(D, G * H, H), rand(D, 2 * G * H)


# --------------------------------------------------------------------------
# recurrent attribute coverage

def lstm_bidir_everything():
    T, Bn, I, H, D = 5, 3, 4, 6, 2
    W, R, B = rnn_weights("lstm", D, H, I)
    P = rand(D, 3 * H)
    X = rand(Bn, T, I, scale=1.5)
    seq = np.array([5, 3, 1], dtype=np.int32)
    h0, c0 = rand(Bn, D, H), rand(Bn, D, H)
    acts = ["HardSigmoid", "Tanh", "ScaledTanh", "Sigmoid", "LeakyRelu", "Tanh"]
    alphas, betas = [0.3, 0.9, 0.1], [0.45, 1.1]
    node = helper.make_node("LSTM", ["X", "W", "R", "B", "seq", "h0", "c0", "P"], ["Y", "Y_h", "Y_c"],
                            direction="bidirectional", hidden_size=H, layout=1, clip=2.5,
                            activations=acts, activation_alpha=alphas, activation_beta=betas)
    g = helper.make_graph([node], "lstm_bidir_everything",
                          [helper.make_tensor_value_info("X", F, [Bn, T, I]),
                           helper.make_tensor_value_info("h0", F, [Bn, D, H]),
                           helper.make_tensor_value_info("c0", F, [Bn, D, H])],
                          [helper.make_tensor_value_info(n, F, None) for n in ["Y", "Y_h", "Y_c"]],
                          [init("W", W), init("R", R), init("B", B), init("seq", seq), init("P", P)])
    Y, Yh, Yc = rnn_ref("lstm", X, W, R, B, seq, h0, c0, P, "bidirectional", acts, alphas, betas, 2.5, layout=1)
    save("lstm_bidir_everything", g, 14, {"X": X, "h0": h0, "c0": c0}, {"Y": Y, "Y_h": Yh, "Y_c": Yc})


def lstm_input_forget():
    T, Bn, I, H = 4, 2, 3, 5
    W, R, B = rnn_weights("lstm", 1, H, I)
    X = rand(T, Bn, I, scale=1.5)
    node = helper.make_node("LSTM", ["X", "W", "R", "B"], ["Y", "Y_h", "Y_c"], hidden_size=H, input_forget=1)
    g = helper.make_graph([node], "lstm_input_forget", [helper.make_tensor_value_info("X", F, [T, Bn, I])],
                          [helper.make_tensor_value_info(n, F, None) for n in ["Y", "Y_h", "Y_c"]],
                          [init("W", W), init("R", R), init("B", B)])
    Y, Yh, Yc = rnn_ref("lstm", X, W, R, B, input_forget=1)
    save("lstm_input_forget", g, 9, {"X": X}, {"Y": Y, "Y_h": Yh, "Y_c": Yc})


def gru_reverse_lbr_clip():
    T, Bn, I, H = 6, 3, 4, 5
    W, R, B = rnn_weights("gru", 1, H, I)
    X = rand(T, Bn, I, scale=2.0)
    seq = np.array([6, 2, 4], dtype=np.int32)
    node = helper.make_node("GRU", ["X", "W", "R", "B", "seq"], ["Y", "Y_h"], hidden_size=H,
                            direction="reverse", linear_before_reset=1, clip=1.5)
    g = helper.make_graph([node], "gru_reverse_lbr_clip", [helper.make_tensor_value_info("X", F, [T, Bn, I])],
                          [helper.make_tensor_value_info(n, F, None) for n in ["Y", "Y_h"]],
                          [init("W", W), init("R", R), init("B", B), init("seq", seq)])
    Y, Yh, _ = rnn_ref("gru", X, W, R, B, seq, direction="reverse", clip=1.5, lbr=1)
    save("gru_reverse_lbr_clip", g, 7, {"X": X}, {"Y": Y, "Y_h": Yh})


def rnn_relu_bidir():
    T, Bn, I, H = 5, 2, 3, 4
    W, R, B = rnn_weights("rnn", 2, H, I)
    X = rand(T, Bn, I)
    node = helper.make_node("RNN", ["X", "W", "R", "B"], ["Y", "Y_h"], hidden_size=H, direction="bidirectional",
                            activations=["Relu", "Relu"])
    g = helper.make_graph([node], "rnn_relu_bidir", [helper.make_tensor_value_info("X", F, [T, Bn, I])],
                          [helper.make_tensor_value_info(n, F, None) for n in ["Y", "Y_h"]],
                          [init("W", W), init("R", R), init("B", B)])
    Y, Yh, _ = rnn_ref("rnn", X, W, R, B, direction="bidirectional", activations=["Relu", "Relu"])
    save("rnn_relu_bidir", g, 14, {"X": X}, {"Y": Y, "Y_h": Yh})


# --------------------------------------------------------------------------
# PyTorch export patterns (dynamic batch "B" and time "T")

def zero_state(prefix, x_name, batch_axis, d, h, opset):
    """Shape(x) -> Gather(batch) -> Unsqueeze -> Concat([D], B, [H]) -> ConstantOfShape(0)."""
    n = []
    n.append(helper.make_node("Shape", [x_name], [prefix + "_shape"]))
    n.append(helper.make_node("Constant", [], [prefix + "_bidx"], value=init("b", np.array(batch_axis, np.int64))))
    n.append(helper.make_node("Gather", [prefix + "_shape", prefix + "_bidx"], [prefix + "_b"], axis=0))
    if opset >= 13:
        n.append(helper.make_node("Constant", [], [prefix + "_ax"], value=init("a", np.array([0], np.int64))))
        n.append(helper.make_node("Unsqueeze", [prefix + "_b", prefix + "_ax"], [prefix + "_b1"]))
    else:
        n.append(helper.make_node("Unsqueeze", [prefix + "_b"], [prefix + "_b1"], axes=[0]))
    n.append(helper.make_node("Constant", [], [prefix + "_d"], value=init("d", np.array([d], np.int64))))
    n.append(helper.make_node("Constant", [], [prefix + "_h"], value=init("h", np.array([h], np.int64))))
    n.append(helper.make_node("Concat", [prefix + "_d", prefix + "_b1", prefix + "_h"], [prefix + "_dims"], axis=0))
    n.append(helper.make_node("ConstantOfShape", [prefix + "_dims"], [prefix],
                              value=helper.make_tensor("v", F, [1], [0.0])))
    return n


def torch_lstm_2layer_bidir_batch_first():
    I, H, D = 4, 5, 2
    w = [rnn_weights("lstm", D, H, I), rnn_weights("lstm", D, H, D * H)]
    opset = 14
    nodes = [helper.make_node("Transpose", ["input"], ["x_tm"], perm=[1, 0, 2])]
    inits = []
    x = "x_tm"
    for layer in range(2):
        W, R, B = w[layer]
        p = "l%d" % layer
        inits += [init(p + "_W", W), init(p + "_R", R), init(p + "_B", B)]
        nodes += zero_state(p + "_h0", "input", 0, D, H, opset)
        nodes += zero_state(p + "_c0", "input", 0, D, H, opset)
        nodes.append(helper.make_node("LSTM", [x, p + "_W", p + "_R", p + "_B", "", p + "_h0", p + "_c0"],
                                      [p + "_Y", p + "_Yh", p + "_Yc"], direction="bidirectional", hidden_size=H))
        nodes.append(helper.make_node("Transpose", [p + "_Y"], [p + "_Yt"], perm=[0, 2, 1, 3]))
        inits.append(init(p + "_shape", np.array([0, 0, -1], np.int64)))
        nodes.append(helper.make_node("Reshape", [p + "_Yt", p + "_shape"], [p + "_out"]))
        x = p + "_out"
    nodes.append(helper.make_node("Transpose", [x], ["output"], perm=[1, 0, 2]))
    g = helper.make_graph(nodes, "torch_lstm", [helper.make_tensor_value_info("input", F, ["B", "T", I])],
                          [helper.make_tensor_value_info("output", F, ["B", "T", D * H])], inits)
    X = rand(3, 7, I, scale=1.5)  # run at B=3, T=7
    y = X.transpose(1, 0, 2)
    for layer in range(2):
        W, R, B = w[layer]
        Y, _, _ = rnn_ref("lstm", y, W, R, B, direction="bidirectional")
        y = Y.transpose(0, 2, 1, 3).reshape(Y.shape[0], Y.shape[2], -1)
    save("torch_lstm_2layer_bidir_batch_first", g, opset, {"input": X}, {"output": y.transpose(1, 0, 2)})


def torch_gru_stacked():
    I, H = 3, 6
    w = [rnn_weights("gru", 1, H, I), rnn_weights("gru", 1, H, H)]
    nodes, inits, x = [], [], "input"
    for layer in range(2):
        W, R, B = w[layer]
        p = "l%d" % layer
        inits += [init(p + "_W", W), init(p + "_R", R), init(p + "_B", B)]
        nodes += zero_state(p + "_h0", "input", 1, 1, H, 11)
        nodes.append(helper.make_node("GRU", [x, p + "_W", p + "_R", p + "_B", "", p + "_h0"], [p + "_Y", p + "_Yh"],
                                      hidden_size=H, linear_before_reset=1))
        nodes.append(helper.make_node("Squeeze", [p + "_Y"], [p + "_out"], axes=[1]))
        x = p + "_out"
    nodes.append(helper.make_node("Identity", [x], ["output"]))
    nodes.append(helper.make_node("Concat", ["l0_Yh", "l1_Yh"], ["h_n"], axis=0))
    g = helper.make_graph(nodes, "torch_gru", [helper.make_tensor_value_info("input", F, ["T", "B", I])],
                          [helper.make_tensor_value_info("output", F, ["T", "B", H]),
                           helper.make_tensor_value_info("h_n", F, [2, "B", H])], inits)
    X = rand(9, 2, I, scale=1.5)
    y, hs = X, []
    for layer in range(2):
        W, R, B = w[layer]
        Y, Yh, _ = rnn_ref("gru", y, W, R, B, lbr=1)
        y = Y[:, 0]
        hs.append(Yh)
    save("torch_gru_stacked", g, 11, {"input": X}, {"output": y, "h_n": np.concatenate(hs, 0)})


def gru_external_data():
    """Weights in an external data file next to the model."""
    T, Bn, I, H = 4, 2, 3, 4
    W, R, B = rnn_weights("gru", 1, H, I)
    X = rand(T, Bn, I, scale=1.5)
    node = helper.make_node("GRU", ["X", "W", "R", "B"], ["Y", "Y_h"], hidden_size=H)
    g = helper.make_graph([node], "gru_external_data", [helper.make_tensor_value_info("X", F, [T, Bn, I])],
                          [helper.make_tensor_value_info(n, F, None) for n in ["Y", "Y_h"]],
                          [init("W", W), init("R", R), init("B", B)])
    Y, Yh, _ = rnn_ref("gru", X, W, R, B)
    save("gru_external_data", g, 7, {"X": X}, {"Y": Y, "Y_h": Yh}, external=True)


def torch_lstm_explicit_states():
    I, H = 4, 3
    W, R, B = rnn_weights("lstm", 1, H, I)
    nodes = [helper.make_node("LSTM", ["input", "W", "R", "B", "", "h0", "c0"], ["Y", "hn", "cn"], hidden_size=H),
             helper.make_node("Squeeze", ["Y", "ax"], ["output"])]
    g = helper.make_graph(nodes, "torch_lstm_states",
                          [helper.make_tensor_value_info("input", F, ["T", "B", I]),
                           helper.make_tensor_value_info("h0", F, [1, "B", H]),
                           helper.make_tensor_value_info("c0", F, [1, "B", H])],
                          [helper.make_tensor_value_info("output", F, ["T", "B", H]),
                           helper.make_tensor_value_info("hn", F, [1, "B", H]),
                           helper.make_tensor_value_info("cn", F, [1, "B", H])],
                          [init("W", W), init("R", R), init("B", B), init("ax", np.array([1], np.int64))])
    X, h0, c0 = rand(6, 2, I, scale=1.5), rand(1, 2, H), rand(1, 2, H)
    Y, Yh, Yc = rnn_ref("lstm", X, W, R, B, h0=h0, c0=c0)
    save("torch_lstm_explicit_states", g, 13, {"input": X, "h0": h0, "c0": c0},
         {"output": Y[:, 0], "hn": Yh, "cn": Yc})


# --------------------------------------------------------------------------
# ordinary op coverage (ReferenceEvaluator gives the expected values)

def ops_dense():
    x = helper.make_tensor_value_info("x", F, [2, 3, 4])
    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "gw", "gb"], ["g"], transB=1, alpha=0.7, beta=1.3),
        helper.make_node("LeakyRelu", ["g"], ["lr"], alpha=0.2),
        helper.make_node("MatMul", ["x", "mw"], ["mm"]),
        helper.make_node("Elu", ["mm"], ["elu"], alpha=0.5),
        helper.make_node("Softmax", ["elu"], ["sm"], axis=1),  # opset 11: flattens [1:]
        helper.make_node("LogSoftmax", ["mm"], ["lsm"], axis=-1),
        helper.make_node("Clip", ["mm", "lo", "hi"], ["clip"]),
        helper.make_node("Sigmoid", ["clip"], ["sig"]),
        helper.make_node("Tanh", ["lsm"], ["th"]),
        helper.make_node("Sub", ["sig", "th"], ["sub"]),
        helper.make_node("Mul", ["sub", "sm"], ["mul"]),
        helper.make_node("Abs", ["mul"], ["abs"]),
        helper.make_node("Add", ["abs", "one"], ["add"]),
        helper.make_node("Sqrt", ["add"], ["sq"]),
        helper.make_node("Pow", ["sq", "three"], ["pw"]),
        helper.make_node("Div", ["pw", "add"], ["dense_out"]),
        helper.make_node("Relu", ["lr"], ["gemm_out"]),
    ]
    inits = [init("gw", rand(5, 12)), init("gb", rand(5)), init("mw", rand(4, 6)), init("lo", np.float32(-0.3)),
             init("hi", np.float32(0.4)), init("one", np.float32(1.0)), init("three", np.float32(3.0))]
    g = helper.make_graph(nodes, "ops_dense", [x], [helper.make_tensor_value_info("dense_out", F, None),
                                                  helper.make_tensor_value_info("gemm_out", F, None)], inits)
    save("ops_dense", g, 11, {"x": rand(2, 3, 4, scale=2.0)})


def ops_shape():
    x = helper.make_tensor_value_info("x", F, [2, 3, 8])
    nodes = [
        helper.make_node("Transpose", ["x"], ["t"], perm=[2, 0, 1]),
        helper.make_node("Reshape", ["t", "shape"], ["r"]),
        helper.make_node("Unsqueeze", ["r", "ax0"], ["u"]),
        helper.make_node("Squeeze", ["u", "ax0"], ["s"]),
        helper.make_node("Split", ["s", "split"], ["s1", "s2"], axis=1),
        helper.make_node("Concat", ["s2", "s1"], ["cat"], axis=1),
        helper.make_node("Slice", ["cat", "st", "en", "axs", "stp"], ["sl"]),
        helper.make_node("Gather", ["sl", "gi"], ["ga"], axis=1),
        helper.make_node("Pad", ["ga", "pads"], ["pc"], mode="constant"),
        helper.make_node("Pad", ["ga", "pads"], ["pr"], mode="reflect"),
        helper.make_node("Pad", ["ga", "pads", "pv"], ["pe"], mode="edge"),
        helper.make_node("Concat", ["pc", "pr", "pe"], ["pads_out"], axis=0),
        helper.make_node("Expand", ["bias", "eshape"], ["ex"]),
        helper.make_node("ReduceMean", ["x"], ["rm"], axes=[2], keepdims=1),
        helper.make_node("ReduceSum", ["x", "ax2"], ["rs"], keepdims=0),
        helper.make_node("ReduceMax", ["x"], ["rx"], axes=[0, 2], keepdims=0),
        helper.make_node("Add", ["rm", "ex"], ["rme"]),
        helper.make_node("ArgMax", ["x"], ["am"], axis=2, keepdims=1),
        helper.make_node("Cast", ["am"], ["amf"], to=F),
        helper.make_node("Identity", ["rs"], ["reduce_sum"]),
        helper.make_node("Softmax", ["x"], ["sm13"], axis=1),  # opset 13: along axis 1 only
    ]
    inits = [init("shape", np.array([8, -1], np.int64)), init("ax0", np.array([0], np.int64)),
             init("split", np.array([2, 4], np.int64)), init("st", np.array([7, 1], np.int64)),
             init("en", np.array([-100, 100], np.int64)), init("axs", np.array([0, 1], np.int64)),
             init("stp", np.array([-2, 2], np.int64)), init("gi", np.array([[2, -1], [0, 0]], np.int64)),
             init("pads", np.array([1, 0, 1, 2, 0, 1], np.int64)), init("pv", np.float32(0.0)),
             init("bias", rand(1, 1)), init("eshape", np.array([2, 3, 1], np.int64)),
             init("ax2", np.array([-1], np.int64))]
    outs = ["pads_out", "rme", "reduce_sum", "rx", "amf", "sm13"]
    g = helper.make_graph(nodes, "ops_shape", [x], [helper.make_tensor_value_info(o, F, None) for o in outs], inits)
    save("ops_shape", g, 13, {"x": rand(2, 3, 8, scale=2.0)})


def ops_conv():
    x = helper.make_tensor_value_info("x", F, [1, 4, 9, 7])
    s = helper.make_tensor_value_info("sig", F, [2, 3, 20])
    nodes = [
        helper.make_node("Conv", ["x", "w2", "b2"], ["c2"], pads=[1, 0, 2, 1], strides=[2, 1], dilations=[1, 2]),
        helper.make_node("Conv", ["x", "wg"], ["cg"], group=2, auto_pad="SAME_UPPER", kernel_shape=[3, 3]),
        helper.make_node("Conv", ["x", "wd", "bd"], ["cd"], group=4, pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["cd", "sc", "bb", "mn", "vr"], ["bn"], epsilon=1e-3),
        helper.make_node("Conv", ["sig", "w1", "b1"], ["c1"], pads=[2, 1], strides=[3]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w1b"], ["c1b"], kernel_shape=[1]),
    ]
    inits = [init("w2", rand(5, 4, 3, 2)), init("b2", rand(5)), init("wg", rand(6, 2, 3, 3)),
             init("wd", rand(8, 1, 3, 3)), init("bd", rand(8)), init("sc", rand(8) + 1), init("bb", rand(8)),
             init("mn", rand(8)), init("vr", np.abs(rand(8)) + 0.5),
             init("w1", rand(4, 3, 5)), init("b1", rand(4)), init("w1b", rand(2, 4, 1))]
    outs = ["c2", "cg", "bn", "c1b"]
    g = helper.make_graph(nodes, "ops_conv", [x, s], [helper.make_tensor_value_info(o, F, None) for o in outs], inits)
    save("ops_conv", g, 12, {"x": rand(1, 4, 9, 7), "sig": rand(2, 3, 20)})


def dynamic_shapes():
    """Shape arithmetic on dynamic dims that cannot fold: run-time SHAPE,
    reshape targets assembled at run time, Expand / ConstantOfShape of
    run-time shapes, EXPAND_DIMS chains, slices of dynamic dims."""
    x = helper.make_tensor_value_info("x", F, ["B", "T", 4])
    i64 = lambda name, v: init(name, np.array(v, np.int64))
    nodes = [
        helper.make_node("Reshape", ["x", "s0022"], ["r4"]),                      # [B, T, 2, 2]
        helper.make_node("Shape", ["x"], ["shp"]),
        helper.make_node("Shape", ["x"], ["shp_tail"], start=1),                   # [T, 4]
        helper.make_node("Gather", ["shp", "zero"], ["b"], axis=0),
        helper.make_node("Unsqueeze", ["b", "ax0"], ["b1"]),
        helper.make_node("Concat", ["b1", "minus1"], ["flat_shape"], axis=0),
        helper.make_node("Reshape", ["r4", "flat_shape"], ["flat"]),               # [B, T*4]
        helper.make_node("ConstantOfShape", ["shp_tail"], ["ones"], value=helper.make_tensor("v", F, [1], [1.5])),
        helper.make_node("Add", ["x", "ones"], ["xo"]),
        helper.make_node("Expand", ["bias", "shp"], ["bx"]),
        helper.make_node("Mul", ["xo", "bx"], ["xb"]),
        helper.make_node("Unsqueeze", ["xb", "ax03"], ["u"]),                     # [1, B, T, 1, 4]
        helper.make_node("Squeeze", ["u", "ax03"], ["sq"]),
        helper.make_node("Slice", ["sq", "st", "en", "axs"], ["sl"]),             # time 1..end, features 0..2
        helper.make_node("Flatten", ["sl"], ["fl"], axis=2),
        helper.make_node("ReduceSum", ["fl", "ax1"], ["dyn_out"], keepdims=0),
        helper.make_node("Identity", ["flat"], ["flat_out"]),
    ]
    inits = [i64("s0022", [0, 0, 2, 2]), i64("zero", 0), i64("ax0", [0]), i64("minus1", [-1]),
             init("bias", rand(4)), i64("ax03", [0, 3]), i64("st", [1, 0]), i64("en", [2**62, 3]),
             i64("axs", [1, 2]), i64("ax1", [1])]
    g = helper.make_graph(nodes, "dynamic_shapes", [x], [helper.make_tensor_value_info("dyn_out", F, None),
                                                       helper.make_tensor_value_info("flat_out", F, None)], inits)
    save("dynamic_shapes", g, 15, {"x": rand(3, 5, 4)})


# --------------------------------------------------------------------------
# models that must fail (tests/unit/onnx_errors_test.cc); no vectors.

def bad_models():
    def write(name, graph, opset=13):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 8
        d = os.path.join(HERE, "errors")
        os.makedirs(d, exist_ok=True)
        onnx.save(model, os.path.join(d, name + ".onnx"))

    x = helper.make_tensor_value_info("x", F, [2, 3])
    y = helper.make_tensor_value_info("y", F, None)
    # Two unknown ops and one bad attribute: ONE error naming all three.
    write("unsupported_ops", helper.make_graph([
        helper.make_node("Relu", ["x"], ["a"], name="ok_relu"),
        helper.make_node("Erfinv", ["a"], ["b"], name="first_unknown"),
        helper.make_node("Conv", ["x", "w"], ["c"], name="bad_conv", auto_pad="SAME_SIDEWAYS"),
        helper.make_node("Hardmax", ["a"], ["d"], name="second_unknown"),
        helper.make_node("Add", ["b", "d"], ["y"], name="downstream_add"),
    ], "g", [x], [y], [init("w", rand(1, 3, 1))]))
    write("bad_direction", helper.make_graph([
        helper.make_node("LSTM", ["x3", "W", "R"], ["y"], name="lstm", hidden_size=2, direction="sideways"),
    ], "g", [helper.make_tensor_value_info("x3", F, [1, 1, 3])], [y],
        [init("W", rand(1, 8, 3)), init("R", rand(1, 8, 2))]))
    write("missing_initializer", helper.make_graph([
        helper.make_node("MatMul", ["x", "weights_that_are_not_there"], ["y"], name="mm"),
    ], "g", [x], [y]))
    write("custom_domain", helper.make_graph([
        helper.make_node("FusedGemm", ["x", "x"], ["y"], name="ms", domain="com.microsoft"),
    ], "g", [x], [y]))
    write("old_opset", helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y]), opset=6)
    for name, location in [("external_missing", "not_there.bin"), ("external_escape", "../outside.bin")]:
        w = TensorProto(name="w", data_type=F, dims=[3, 2])
        w.data_location = TensorProto.EXTERNAL
        for k, v in [("location", location), ("offset", "0"), ("length", "24")]:
            e = w.external_data.add()
            e.key, e.value = k, v
        write(name, helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], "g", [x], [y], [w]))
    # A constant sub-graph far too large to fold: it must stay an op.
    write("huge_constant", helper.make_graph([
        helper.make_node("ConstantOfShape", ["dims"], ["big"], value=helper.make_tensor("v", F, [1], [1.0])),
        helper.make_node("ReduceSum", ["big"], ["y"], keepdims=0),
    ], "g", [], [y], [init("dims", np.array([100000, 100000], np.int64))]))
    # Two inputs of 2e9 elements each (shapes only: nothing is allocated):
    # the Concat's output dim does not fit a .tflite shape (int32).
    write("concat_dim_overflow", helper.make_graph(
        [helper.make_node("Concat", ["a", "b"], ["y"], name="join", axis=0)], "g",
        [helper.make_tensor_value_info("a", F, [2000000000]), helper.make_tensor_value_info("b", F, [2000000000])],
        [helper.make_tensor_value_info("y", F, None)]))
    # Dynamic time, static batch 2: runs at any T, rejects a wrong rank.
    write("dynamic_relu", helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                                            [helper.make_tensor_value_info("x", F, ["T", 2])], [y]))


if __name__ == "__main__":
    lstm_bidir_everything()
    lstm_input_forget()
    gru_reverse_lbr_clip()
    rnn_relu_bidir()
    torch_lstm_2layer_bidir_batch_first()
    torch_gru_stacked()
    torch_lstm_explicit_states()
    gru_external_data()
    dynamic_shapes()
    ops_dense()
    ops_shape()
    ops_conv()
    bad_models()
    print("ok")
