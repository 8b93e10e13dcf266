#!/usr/bin/env python3
"""Trains the demo model scripts/demo converts and runs: an LSTM classifier
that reads each 8x8 image of scikit-learn's bundled `load_digits` data set
(shipped inside the scikit-learn package, no download) as a sequence of 8
rows of 8 pixels, then exports it to ONNX.

    pip install torch scikit-learn onnx numpy    # the CPU wheel is enough
    python3 examples/train_demo_model.py         # < 1 minute on 2 cores

Writes, next to this script:
  digits_lstm.onnx          input `pixels` [batch, 8, 8] (batch dynamic, values
                            in [0, 1]) -> output `probs` [batch, 10] (softmax)
  digits_test_x.npy         the held-out test images, float32 [N, 8, 8]
  digits_test_labels.npy    their labels, int64 [N]
  digits_torch_probs.npy    PyTorch's probabilities on them, float32 [N, 10]
Seeded; the test split is the last 360 images of a fixed permutation.
"""
import os
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
N_TEST = 360
HIDDEN = 32


class DigitsLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, 10)

    def forward(self, pixels):
        _, (h, _) = self.lstm(pixels)
        return torch.softmax(self.head(h[-1]), dim=-1)

    def logits(self, pixels):
        _, (h, _) = self.lstm(pixels)
        return self.head(h[-1])


def main():
    start = time.time()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)  # [1797, 8, 8], rows are time steps
    y = digits.target.astype(np.int64)
    perm = np.random.default_rng(0).permutation(len(x))
    x, y = x[perm], y[perm]
    x_train, y_train = torch.from_numpy(x[:-N_TEST]), torch.from_numpy(y[:-N_TEST])
    x_test, y_test = x[-N_TEST:], y[-N_TEST:]

    model = DigitsLstm()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(40):
        model.train()
        order = torch.randperm(len(x_train))
        for i in range(0, len(order), 64):
            idx = order[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(model.logits(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()

    model.eval()
    with torch.no_grad():
        probs = model(torch.from_numpy(x_test)).numpy().astype(np.float32)
    acc = float((probs.argmax(1) == y_test).mean())

    torch.onnx.export(model, (torch.from_numpy(x_test[:2]),), os.path.join(HERE, "digits_lstm.onnx"),
                      input_names=["pixels"], output_names=["probs"],
                      dynamic_axes={"pixels": {0: "batch"}, "probs": {0: "batch"}}, opset_version=17, dynamo=False)
    np.save(os.path.join(HERE, "digits_test_x.npy"), x_test)
    np.save(os.path.join(HERE, "digits_test_labels.npy"), y_test)
    np.save(os.path.join(HERE, "digits_torch_probs.npy"), probs)
    print(f"test accuracy {acc:.4f} on {N_TEST} images; {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
