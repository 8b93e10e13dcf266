#!/usr/bin/env python3
"""Exports real PyTorch recurrent models with torch.onnx.export and saves
PyTorch's own outputs, for tests/conformance/torch_exports_test.cc.

    pip install torch onnx numpy      # the CPU wheel is enough
    python3 tests/models/torch/generate.py

Each case is a folder like tests/models/onnx's: model.onnx, in_<input>.npy,
out_<output>.npy. Models are exported at batch 2 and 5 steps with batch and
time marked dynamic; the saved inputs use other sizes (batch 3, 7 steps) so
the test exercises ResizeInputTensor, not the export's trace shapes. CI only
needs the committed files, never torch. Seeded: re-running gives the same
weights and inputs (the .onnx bytes may differ across torch versions).
"""
import os
import shutil

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
EXPORT_B, EXPORT_T = 2, 5
TEST_B, TEST_T = 3, 7
I, H = 6, 8


class Wrap(nn.Module):
    """Returns the recurrent layer's outputs as a flat tuple."""

    def __init__(self, rnn, lstm, explicit_states=False):
        super().__init__()
        self.rnn, self.lstm, self.explicit_states = rnn, lstm, explicit_states

    def forward(self, x, *states):
        if self.explicit_states:
            y, (h, c) = self.rnn(x, (states[0], states[1]))
            return y, h, c
        y, st = self.rnn(x)
        return (y, st[0]) if self.lstm else (y, st)


def save(case, module, input_names, output_names, dynamic_axes, make_inputs, opset):
    d = os.path.join(HERE, case)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    module.eval()
    export_inputs = make_inputs(EXPORT_B, EXPORT_T)
    torch.onnx.export(module, tuple(export_inputs), os.path.join(d, "model.onnx"), input_names=input_names,
                      output_names=output_names, dynamic_axes=dynamic_axes, opset_version=opset, dynamo=False)
    test_inputs = make_inputs(TEST_B, TEST_T)
    with torch.no_grad():
        outs = module(*test_inputs)
    for name, v in zip(input_names, test_inputs):
        np.save(os.path.join(d, "in_" + name + ".npy"), v.numpy().astype(np.float32))
    for name, v in zip(output_names, outs):
        np.save(os.path.join(d, "out_" + name + ".npy"), v.numpy().astype(np.float32))


def randn(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def lstm_2layer_bidir_batch_first():
    torch.manual_seed(1)
    m = Wrap(nn.LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True), lstm=True)
    save("lstm_2layer_bidir_batch_first", m, ["input"], ["output", "h_n"],
         {"input": {0: "batch", 1: "time"}, "output": {0: "batch", 1: "time"}, "h_n": {1: "batch"}},
         lambda b, t: [randn(b, t, I)], opset=14)


def gru_stacked():
    torch.manual_seed(2)
    m = Wrap(nn.GRU(I, H, num_layers=2), lstm=False)
    save("gru_stacked", m, ["input"], ["output", "h_n"],
         {"input": {0: "time", 1: "batch"}, "output": {0: "time", 1: "batch"}, "h_n": {1: "batch"}},
         lambda b, t: [randn(t, b, I)], opset=15)


def rnn_relu_bidir():
    torch.manual_seed(3)
    m = Wrap(nn.RNN(I, H, nonlinearity="relu", bidirectional=True), lstm=False)
    save("rnn_relu_bidir", m, ["input"], ["output", "h_n"],
         {"input": {0: "time", 1: "batch"}, "output": {0: "time", 1: "batch"}, "h_n": {1: "batch"}},
         lambda b, t: [randn(t, b, I)], opset=16)


def lstm_explicit_states():
    torch.manual_seed(4)
    m = Wrap(nn.LSTM(I, H, batch_first=True), lstm=True, explicit_states=True)
    save("lstm_explicit_states", m, ["input", "h0", "c0"], ["output", "hn", "cn"],
         {"input": {0: "batch", 1: "time"}, "h0": {1: "batch"}, "c0": {1: "batch"},
          "output": {0: "batch", 1: "time"}, "hn": {1: "batch"}, "cn": {1: "batch"}},
         lambda b, t: [randn(b, t, I), randn(1, b, H), randn(1, b, H)], opset=17)


if __name__ == "__main__":
    lstm_2layer_bidir_batch_first()
    gru_stacked()
    rnn_relu_bidir()
    lstm_explicit_states()
