#!/usr/bin/env python3
"""Generates tests/data/tf_rnn: small recurrent models converted by
TensorFlow's own TFLite converter, with fixed inputs and TensorFlow's outputs.

Each model is built with seeded random weights (biases included, so a
dropped bias shows), converted with TFLITE_BUILTINS only (no Flex), and
saved as <name>.tflite plus <name>.in<k>.npy / <name>.out<k>.npy in the
order of the .tflite file's subgraph inputs/outputs. The expected outputs
are TensorFlow's (the graph before conversion), not TFLite's; the TFLite
interpreter's outputs are only compared against them as a sanity check
(max difference recorded in manifest.json).

TF1 constructs (tf.compat.v1.nn.*, rnn_cell.*) need Keras 2 (tf_keras), the
Keras constructs use Keras 3; the two families run in separate processes
because TF_USE_LEGACY_KERAS is read at import time.

Usage (needs tensorflow-cpu and tf-keras; see tests/data/tf_rnn/README.md):
  /work/venv-tf/bin/python tests/tools/make_tf_rnn_models.py [--out DIR] [--only NAME,...]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "data", "tf_rnn"))
SEED = 20261126


# --------------------------------------------------------------------------
# Shared helpers (imported lazily so the driver runs without TensorFlow).

def _tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf  # noqa: E402
    return tf


def _ops_per_subgraph(flatbuffer):
    from tensorflow.lite.python import schema_py_generated as fb
    model = fb.Model.GetRootAsModel(flatbuffer, 0)
    names = {v: k for k, v in fb.BuiltinOperator.__dict__.items() if not k.startswith("_")}
    codes = []
    for i in range(model.OperatorCodesLength()):
        c = model.OperatorCodes(i)
        b = max(c.BuiltinCode(), c.DeprecatedBuiltinCode())
        name = names.get(b, "BUILTIN(%d)" % b)
        if name == "CUSTOM":
            name = "CUSTOM:" + c.CustomCode().decode()
        codes.append(name)
    out = []
    for s in range(model.SubgraphsLength()):
        sg = model.Subgraphs(s)
        ops = [codes[sg.Operators(k).OpcodeIndex()] for k in range(sg.OperatorsLength())]
        out.append({"name": (sg.Name() or b"").decode(), "ops": ops})
    return out


def _save_model(out_dir, spec, flatbuffer, ref_outputs, feeds):
    """Writes the model, inputs and TF's outputs in the .tflite's order."""
    import numpy as np
    tf = _tf()
    interp = tf.lite.Interpreter(model_content=flatbuffer)
    interp.allocate_tensors()
    in_details = interp.get_input_details()
    out_details = interp.get_output_details()
    name = spec["name"]
    inputs = []
    for k, d in enumerate(in_details):
        key = next((f for f in feeds if d["name"] == f or d["name"].startswith(f + ":")
                    or d["name"].startswith("serving_default_" + f)), None)
        if key is None:
            raise RuntimeError("%s: cannot match tflite input %r to %s" % (name, d["name"], list(feeds)))
        value = np.asarray(feeds[key], dtype=d["dtype"])
        interp.set_tensor(d["index"], value)
        np.save(os.path.join(out_dir, "%s.in%d.npy" % (name, k)), value)
        inputs.append({"file": "%s.in%d.npy" % (name, k), "tflite_name": d["name"], "feed": key,
                       "shape": list(value.shape), "dtype": str(value.dtype)})
    # ref_outputs is one list per Invoke when the model keeps state
    # (resource variables) from one Invoke to the next.
    runs = ref_outputs if ref_outputs and isinstance(ref_outputs[0], list) else [ref_outputs]
    ref_outputs = runs[0]
    interp.invoke()
    lite = [interp.get_tensor(d["index"]) for d in out_details]
    later = []
    for run in runs[1:]:
        interp.invoke()
        later.append((run, [interp.get_tensor(d["index"]) for d in out_details]))
    # Pair each .tflite output with TensorFlow's output it computes: the
    # converter may reorder outputs of structured (Keras) signatures.
    remaining = list(range(len(ref_outputs)))
    outputs = []
    worst = 0.0
    for k, (d, got) in enumerate(zip(out_details, lite)):
        best, best_err = None, None
        for r in remaining:
            ref = ref_outputs[r]
            if ref.shape != got.shape:
                continue
            err = float(np.max(np.abs(ref - got))) if ref.size else 0.0
            if best is None or err < best_err:
                best, best_err = r, err
        if best is None:
            raise RuntimeError("%s: tflite output %d %s matches no TF output" % (name, k, got.shape))
        remaining.remove(best)
        worst = max(worst, best_err)
        ref = ref_outputs[best].astype(np.float32)
        np.save(os.path.join(out_dir, "%s.out%d.npy" % (name, k)), ref)
        outputs.append({"file": "%s.out%d.npy" % (name, k), "tflite_name": d["name"],
                        "tf_output": spec["outputs"][best], "shape": list(ref.shape)})
        for n, (run, lite_run) in enumerate(later, start=2):
            worst = max(worst, float(np.max(np.abs(run[best] - lite_run[k]))))
            fname = "%s.out%d.invoke%d.npy" % (name, k, n)
            np.save(os.path.join(out_dir, fname), run[best].astype(np.float32))
            outputs[-1].setdefault("later_invocations", []).append(fname)
    if worst > 1e-4:
        raise RuntimeError("%s: TFLite differs from TensorFlow by %g" % (name, worst))
    with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
        f.write(flatbuffer)
    entry = dict(spec)
    entry.update({"file": name + ".tflite", "inputs": inputs, "outputs": outputs,
                  "tflite_vs_tf_max_abs_diff": worst, "subgraphs": _ops_per_subgraph(flatbuffer),
                  "converted": True})
    return entry


def _convert(converter):
    tf = _tf()
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    return converter.convert()


def _run_specs(specs, builder, out_dir, only):
    entries = []
    for spec in specs:
        if only and spec["name"] not in only:
            continue
        try:
            entries.append(builder(spec, out_dir))
            print("ok       %s" % spec["name"], file=sys.stderr)
        except Exception as e:  # the converter's refusal is a result too
            msg = str(e).strip().splitlines()
            reason = next((l for l in msg if "Flex" in l or "not supported" in l or "error" in l.lower()),
                          msg[0] if msg else type(e).__name__)
            entry = dict(spec)
            entry.update({"converted": False, "reason": reason[:400]})
            entries.append(entry)
            print("REJECTED %s: %s" % (spec["name"], reason[:200]), file=sys.stderr)
    return entries


# --------------------------------------------------------------------------
# TF1 (tf.compat.v1) constructs, graph mode, frozen by from_session.

B, T, I, H = 2, 5, 3, 4


def _tf1_specs():
    s = []
    for cell in ("lstm", "gru", "basic_rnn"):
        s.append({"name": "tf1_dynamic_rnn_%s" % cell, "family": "tf1", "cell": cell,
                  "construct": "tf.compat.v1.nn.dynamic_rnn(%s)" % _tf1_cell_name(cell)})
    for cell in ("lstm", "gru"):
        s.append({"name": "tf1_dynamic_rnn_%s_seqlen" % cell, "family": "tf1", "cell": cell, "seqlen": True,
                  "construct": "tf.compat.v1.nn.dynamic_rnn(%s, sequence_length=...)" % _tf1_cell_name(cell)})
    s.append({"name": "tf1_dynamic_rnn_lstm_time_major", "family": "tf1", "cell": "lstm", "time_major": True,
              "construct": "tf.compat.v1.nn.dynamic_rnn(LSTMCell, time_major=True)"})
    s.append({"name": "tf1_bidirectional_dynamic_rnn_lstm", "family": "tf1", "cell": "lstm", "bidi": True,
              "construct": "tf.compat.v1.nn.bidirectional_dynamic_rnn(LSTMCell, LSTMCell)"})
    s.append({"name": "tf1_bidirectional_dynamic_rnn_gru_seqlen", "family": "tf1", "cell": "gru", "bidi": True,
              "seqlen": True,
              "construct": "tf.compat.v1.nn.bidirectional_dynamic_rnn(GRUCell, GRUCell, sequence_length=...)"})
    s.append({"name": "tfkeras2_lstm_seq", "family": "tf1", "cell": "lstm", "tf_keras": True,
              "construct": "tf_keras (Keras 2) tf.keras.layers.LSTM(return_sequences=True), from_keras_model"})
    s.append({"name": "tf1_static_rnn_lstm_seqlen", "family": "tf1", "cell": "lstm", "static": True, "seqlen": True,
              "construct": "tf.compat.v1.nn.static_rnn(LSTMCell, sequence_length=...)"})
    return s


def _tf1_cell_name(cell):
    return {"lstm": "LSTMCell", "gru": "GRUCell", "basic_rnn": "BasicRNNCell"}[cell]


def _build_tf1(spec, out_dir):
    import numpy as np
    tf = _tf()
    if spec.get("tf_keras"):
        return _build_tf_keras2(spec, out_dir)
    v1 = tf.compat.v1
    rng = np.random.default_rng([SEED, sum(map(ord, spec["name"]))])
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(SEED)
        tm = spec.get("time_major", False)
        x = v1.placeholder(tf.float32, [T, B, I] if tm else [B, T, I], name="x")
        feeds = {"x": rng.uniform(-1, 1, x.shape.as_list()).astype(np.float32)}
        ins = [x]
        seq = None
        if spec.get("seqlen"):
            seq = v1.placeholder(tf.int32, [B], name="seq_len")
            ins.append(seq)
            feeds["seq_len"] = np.array([T, T - 2][:B], dtype=np.int32)

        def make_cell():
            return {"lstm": lambda: v1.nn.rnn_cell.LSTMCell(H),
                    "gru": lambda: v1.nn.rnn_cell.GRUCell(H),
                    "basic_rnn": lambda: v1.nn.rnn_cell.BasicRNNCell(H)}[spec["cell"]]()

        init = v1.random_uniform_initializer(-0.5, 0.5, seed=SEED)
        with v1.variable_scope("rnn", initializer=init):
            if spec.get("bidi"):
                (fw, bw), (sf, sb) = v1.nn.bidirectional_dynamic_rnn(
                    make_cell(), make_cell(), x, sequence_length=seq, dtype=tf.float32)
                outs = [fw, bw] + tf.nest.flatten(sf) + tf.nest.flatten(sb)
                names = ["y_fw", "y_bw"] + ["state_fw_%d" % i for i in range(len(tf.nest.flatten(sf)))] + \
                        ["state_bw_%d" % i for i in range(len(tf.nest.flatten(sb)))]
            elif spec.get("static"):
                steps = tf.unstack(x, axis=1)
                ys, st = v1.nn.static_rnn(make_cell(), steps, sequence_length=seq, dtype=tf.float32)
                outs = [tf.stack(ys, axis=1)] + tf.nest.flatten(st)
                names = ["y"] + ["state_%d" % i for i in range(len(tf.nest.flatten(st)))]
            else:
                y, st = v1.nn.dynamic_rnn(make_cell(), x, sequence_length=seq, dtype=tf.float32, time_major=tm)
                outs = [y] + tf.nest.flatten(st)
                names = ["y"] + ["state_%d" % i for i in range(len(tf.nest.flatten(st)))]
        outs = [tf.identity(o, name=n) for o, n in zip(outs, names)]
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            for var in v1.trainable_variables():  # biases start at 0/1: randomize
                if "bias" in var.name:
                    sess.run(var.assign(rng.uniform(-0.5, 0.5, var.shape.as_list()).astype(np.float32)))
            ref = sess.run(outs, {x: feeds["x"], **({seq: feeds["seq_len"]} if seq is not None else {})})
            flat = _convert(v1.lite.TFLiteConverter.from_session(sess, ins, outs))
    entry_spec = dict(spec)
    entry_spec["outputs"] = names
    return _save_model(out_dir, entry_spec, flat, [np.asarray(r) for r in ref], feeds)


def _build_tf_keras2(spec, out_dir):
    """Keras 2's LSTM carries the annotation the converter fuses on."""
    import numpy as np
    tf = _tf()
    k2 = tf.keras
    k2.utils.set_random_seed(SEED)
    rng = np.random.default_rng([SEED, sum(map(ord, spec["name"]))])
    x_in = k2.Input(shape=(T, I), batch_size=B, name="x")
    model = k2.Model(x_in, k2.layers.LSTM(H, return_sequences=True)(x_in))
    for layer in model.layers:
        ws = layer.get_weights()
        if ws:
            layer.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in ws])
    xv = rng.uniform(-1, 1, (B, T, I)).astype(np.float32)
    ref = [np.asarray(model(xv))]
    flat = _convert(tf.lite.TFLiteConverter.from_keras_model(model))
    entry_spec = dict(spec)
    entry_spec["outputs"] = ["y"]
    return _save_model(out_dir, entry_spec, flat, ref, {"x": xv})


# --------------------------------------------------------------------------
# Keras 3 layers, converted from a concrete function with a fixed signature.

def _keras_specs():
    s = []

    def add(name, construct, layers, **kw):
        d = {"name": name, "family": "keras", "construct": construct, "layers": layers}
        d.update(kw)
        s.append(d)

    add("keras_lstm_seq", "keras.layers.LSTM(return_sequences=True)", [["LSTM", {"return_sequences": True}]])
    add("keras_lstm_last", "keras.layers.LSTM(return_sequences=False)", [["LSTM", {}]])
    add("keras_gru_reset_after", "keras.layers.GRU(reset_after=True, return_sequences=True)",
        [["GRU", {"return_sequences": True, "reset_after": True}]])
    add("keras_gru_reset_before", "keras.layers.GRU(reset_after=False, return_sequences=True)",
        [["GRU", {"return_sequences": True, "reset_after": False}]])
    add("keras_simple_rnn", "keras.layers.SimpleRNN(return_sequences=True)",
        [["SimpleRNN", {"return_sequences": True}]])
    add("keras_lstm_go_backwards", "keras.layers.LSTM(go_backwards=True, return_sequences=True)",
        [["LSTM", {"return_sequences": True, "go_backwards": True}]])
    add("keras_gru_return_state", "keras.layers.GRU(return_sequences=True, return_state=True)",
        [["GRU", {"return_sequences": True, "return_state": True}]])
    add("keras_lstm_return_state", "keras.layers.LSTM(return_state=True)",
        [["LSTM", {"return_state": True}]])
    add("keras_simple_rnn_go_backwards_last", "keras.layers.SimpleRNN(go_backwards=True)",
        [["SimpleRNN", {"go_backwards": True}]])
    add("keras_masking_lstm", "keras.layers.Masking + LSTM(return_sequences=True)",
        [["LSTM", {"return_sequences": True}]], masking=True)
    add("keras_masking_gru_last", "keras.layers.Masking + GRU(return_sequences=False)",
        [["GRU", {}]], masking=True)
    add("keras_masking_simple_rnn", "keras.layers.Masking + SimpleRNN(return_sequences=True)",
        [["SimpleRNN", {"return_sequences": True}]], masking=True)
    add("keras_bidirectional_gru", "keras.layers.Bidirectional(GRU(return_sequences=True))",
        [["GRU", {"return_sequences": True}]], bidi=True)
    add("keras_bidirectional_lstm", "keras.layers.Bidirectional(LSTM(return_sequences=True))",
        [["LSTM", {"return_sequences": True}]], bidi=True)
    add("keras_masking_bidirectional_lstm", "keras.layers.Masking + Bidirectional(LSTM(return_sequences=True))",
        [["LSTM", {"return_sequences": True}]], bidi=True, masking=True)
    add("keras_stacked_lstm_gru", "keras.layers.LSTM(return_sequences=True) -> GRU(return_sequences=True)",
        [["LSTM", {"return_sequences": True}], ["GRU", {"return_sequences": True}]])
    add("keras_stacked_simple_rnn_lstm_last", "keras.layers.SimpleRNN(return_sequences=True) -> LSTM()",
        [["SimpleRNN", {"return_sequences": True}], ["LSTM", {}]])
    add("keras_stateful_gru", "keras.layers.GRU(stateful=True, return_sequences=True), resource variables on",
        [["GRU", {"return_sequences": True, "stateful": True}]], resource_variables=True)
    return s


def _build_keras(spec, out_dir):
    import numpy as np
    tf = _tf()
    import keras
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng([SEED, sum(map(ord, spec["name"]))])
    b, t, i, h = 3, 6, 4, 5
    x_in = keras.Input(shape=(t, i), batch_size=b, name="x")
    x = x_in
    if spec.get("masking"):
        x = keras.layers.Masking(mask_value=0.0)(x)
    outputs, names = None, []
    layers = spec["layers"]
    for li, (kind, kw) in enumerate(layers):
        layer = getattr(keras.layers, kind)(h, **kw)
        if spec.get("bidi"):
            layer = keras.layers.Bidirectional(layer)
        res = layer(x)
        if isinstance(res, (list, tuple)):
            x = res[0]
            if li == len(layers) - 1:
                outputs = list(res)
                names = ["y"] + ["state_%d" % k for k in range(len(res) - 1)]
        else:
            x = res
    if outputs is None:
        outputs, names = [x], ["y"]
    model = keras.Model(x_in, outputs)
    for layer in model.layers:  # random weights everywhere, biases included
        ws = layer.get_weights()
        if ws:
            layer.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in ws])
    xv = rng.uniform(-1, 1, (b, t, i)).astype(np.float32)
    if spec.get("masking"):
        xv[1, t - 2:, :] = 0.0  # batch 1: 2 padded steps
        xv[2, t - 1:, :] = 0.0  # batch 2: 1 padded step
    runs = 2 if spec.get("resource_variables") else 1
    refs = []
    for _ in range(runs):  # a stateful layer's second call starts from the first's final state
        ref = model(xv)
        refs.append([np.asarray(r) for r in (ref if isinstance(ref, (list, tuple)) else [ref])])
    ref = refs[0] if runs == 1 else refs
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_state()  # the converter captures the variables' current values

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if spec.get("resource_variables"):
        converter.experimental_enable_resource_variables = True
    flat = _convert(converter)
    entry_spec = dict(spec)
    entry_spec["outputs"] = names
    return _save_model(out_dir, entry_spec, flat, ref, {"x": xv})


# --------------------------------------------------------------------------

def _phase(family, out_dir, only):
    if family == "tf1":
        entries = _run_specs(_tf1_specs(), _build_tf1, out_dir, only)
    else:
        entries = _run_specs(_keras_specs(), _build_keras, out_dir, only)
    with open(os.path.join(out_dir, "manifest.%s.json" % family), "w") as f:
        json.dump(entries, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", default="", help="comma-separated model names")
    ap.add_argument("--phase", choices=["tf1", "keras"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    os.makedirs(args.out, exist_ok=True)
    if args.phase:
        _phase(args.phase, args.out, only)
        return
    for family, legacy in (("tf1", "1"), ("keras", "0")):
        env = dict(os.environ, TF_USE_LEGACY_KERAS=legacy, TF_CPP_MIN_LOG_LEVEL="3")
        subprocess.check_call([sys.executable, os.path.abspath(__file__), "--out", args.out, "--phase", family,
                               "--only", args.only], env=env)
    models = []
    for family in ("tf1", "keras"):
        path = os.path.join(args.out, "manifest.%s.json" % family)
        with open(path) as f:
            models += json.load(f)
        os.remove(path)
    manifest_path = os.path.join(args.out, "manifest.json")
    if only and os.path.exists(manifest_path):  # partial run: keep the other entries
        with open(manifest_path) as f:
            old = [m for m in json.load(f)["models"] if m["name"] not in only]
        models = old + models
    tf = _tf()
    import keras
    manifest = {"generator": "tests/tools/make_tf_rnn_models.py", "tensorflow": tf.__version__,
                "keras": keras.__version__, "seed": SEED,
                "tolerance": {"abs": 1e-5, "rel": 1e-5, "dtype": "float32"},
                "models": sorted(models, key=lambda m: m["name"])}
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
