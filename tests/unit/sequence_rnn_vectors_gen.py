# Generates expected values with onnx.reference.ReferenceEvaluator (ONNX's own
# numpy implementation of LSTM/GRU/RNN) for rnnlite's sequence_rnn tests.
# The blocks it prints (inputs in ONNX gate order, then Y / Y_h / Y_c) are
# pasted into the SequenceRnnOnnxReferenceTest cases of
# sequence_rnn_onnx_vectors_test.cc. Not run by the build or CI.
#   pip install onnx numpy && python3 tests/unit/sequence_rnn_vectors_gen.py
import numpy as np, onnx
from onnx import helper, TensorProto
from onnx.reference import ReferenceEvaluator

def lit(v, inputs):
    if inputs:
        return "%.2ff" % v
    t = "%.9g" % v
    if "." not in t and "e" not in t:
        t += ".0"
    return t + "f"

def arr(name, a, inputs=False):
    a = np.asarray(a, dtype=np.float32).flatten()
    body = ", ".join(lit(v, inputs) for v in a)
    return "  const std::vector<float> %s = {%s};" % (name, body)

def run(op, attrs, feeds, inputs, outputs):
    node = helper.make_node(op, inputs, outputs, **attrs)
    g = helper.make_graph([node], "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT if n != "sequence_lens" else TensorProto.INT32, None) for n in inputs if n],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs if n])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)])
    sess = ReferenceEvaluator(m)
    return sess.run(None, {k: v for k, v in feeds.items()})

rng = np.random.default_rng(20240531)
def rnd(*shape, scale=1.0):
    return np.round(rng.uniform(-scale, scale, size=shape), 2).astype(np.float32)

cases = []
# (a) LSTM forward, all inputs, time-major.
T, B, I, H = 3, 2, 3, 3
f = dict(X=rnd(T, B, I), W=rnd(1, 4*H, I), R=rnd(1, 4*H, H), B=rnd(1, 8*H), initial_h=rnd(1, B, H), initial_c=rnd(1, B, H), P=rnd(1, 3*H))
y, yh, yc = run("LSTM", dict(hidden_size=H), f, ["X","W","R","B","","initial_h","initial_c","P"], ["Y","Y_h","Y_c"])
cases.append(("lstm_fwd", f, dict(Y=y, Y_h=yh, Y_c=yc)))
# (b) LSTM bidirectional, batch-major (layout=1), bias and initial states, no peepholes.
T, B, I, H = 3, 2, 2, 2
f = dict(X=rnd(B, T, I), W=rnd(2, 4*H, I), R=rnd(2, 4*H, H), B=rnd(2, 8*H), initial_h=rnd(B, 2, H), initial_c=rnd(B, 2, H))
y, yh, yc = run("LSTM", dict(hidden_size=H, direction="bidirectional", layout=1), f, ["X","W","R","B","","initial_h","initial_c"], ["Y","Y_h","Y_c"])
cases.append(("lstm_bidir_bm", f, dict(Y=y, Y_h=yh, Y_c=yc)))
# (c) GRU forward, linear_before_reset = 0.
T, B, I, H = 3, 2, 3, 3
f = dict(X=rnd(T, B, I), W=rnd(1, 3*H, I), R=rnd(1, 3*H, H), B=rnd(1, 6*H), initial_h=rnd(1, B, H))
y, yh = run("GRU", dict(hidden_size=H), f, ["X","W","R","B","","initial_h"], ["Y","Y_h"])
cases.append(("gru_lbr0", f, dict(Y=y, Y_h=yh)))
# (d) GRU reverse, linear_before_reset = 1.
f = dict(X=rnd(T, B, I), W=rnd(1, 3*H, I), R=rnd(1, 3*H, H), B=rnd(1, 6*H), initial_h=rnd(1, B, H))
y, yh = run("GRU", dict(hidden_size=H, linear_before_reset=1, direction="reverse"), f, ["X","W","R","B","","initial_h"], ["Y","Y_h"])
cases.append(("gru_lbr1_rev", f, dict(Y=y, Y_h=yh)))
# (e) RNN bidirectional tanh with bias.
T, B, I, H = 3, 2, 3, 2
f = dict(X=rnd(T, B, I), W=rnd(2, H, I), R=rnd(2, H, H), B=rnd(2, 2*H))
y, yh = run("RNN", dict(hidden_size=H, direction="bidirectional"), f, ["X","W","R","B"], ["Y","Y_h"])
cases.append(("rnn_bidir", f, dict(Y=y, Y_h=yh)))

for name, feeds, outs in cases:
    print("// ---- %s" % name)
    for k, v in feeds.items():
        print("// %s shape %s" % (k, list(v.shape)))
        print(arr(k, v, True))
    for k, v in outs.items():
        print("// %s shape %s" % (k, list(v.shape)))
        print(arr(k, v))
