#!/usr/bin/env python3
"""The peer of `kiban bench rul`: the same RUL network, batch, loss, clipping, AdamW, EMA and
per-epoch validation as Kiban's RulTrainer, timed in Python PyTorch on the very windows Kiban
trained on (float32 files Kiban writes), then the batch inference rate. Prints one JSON object.

usage: rul.py --train-inputs F --train-targets F --valid-inputs F --valid-targets F --window 30 --features 14
              --model lstm|cnn|linear --width 32 --layers 2 --dropout 0.3 --batch 256 --epochs 5
              --lr 0.002 --weight-decay 0.01 --ema-max-decay 0.995 --cap 125 --infer-batch 1024 --seconds 5
"""
import argparse
import json
import math
import time

import numpy as np
import torch
from torch import nn


class Lstm(nn.Module):
    def __init__(self, features, width, layers, dropout):
        super().__init__()
        self.lstm = nn.LSTM(features, width, layers, batch_first=True, dropout=dropout if layers > 1 else 0)
        self.hidden = nn.Linear(width, width)
        self.out = nn.Linear(width, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.out(self.drop(torch.relu(self.hidden(self.drop(y[:, -1, :])))))


class Cnn(nn.Module):
    def __init__(self, features, window, width, layers, dropout):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv1d(features if i == 0 else width, width, 5, padding=2) for i in range(layers))
        self.hidden = nn.Linear(width * window, width)
        self.out = nn.Linear(width, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        x = x.transpose(1, 2)
        for c in self.convs:
            x = torch.relu(c(x))
        return self.out(self.drop(torch.relu(self.hidden(self.drop(x.flatten(1))))))


class Linear(nn.Module):
    def __init__(self, features, window):
        super().__init__()
        self.out = nn.Linear(features * window, 1)

    def forward(self, x):
        return self.out(x.flatten(1))


def load(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape))


def main():
    p = argparse.ArgumentParser()
    for name in ["--train-inputs", "--train-targets", "--valid-inputs", "--valid-targets", "--model"]:
        p.add_argument(name, required=True)
    for name, default in [("--window", 30), ("--features", 14), ("--width", 32), ("--layers", 2), ("--batch", 256),
                          ("--epochs", 5), ("--cap", 125), ("--infer-batch", 1024), ("--threads", 1)]:
        p.add_argument(name, type=int, default=default)
    for name, default in [("--dropout", 0.3), ("--lr", 2e-3), ("--weight-decay", 0.01), ("--ema-max-decay", 0.995),
                          ("--seconds", 5.0)]:
        p.add_argument(name, type=float, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    xt = load(a.train_inputs, (-1, a.window, a.features))
    yt = load(a.train_targets, (-1, 1)) / a.cap
    xv = load(a.valid_inputs, (-1, a.window, a.features))
    yv = load(a.valid_targets, (-1,))
    net = {"lstm": lambda: Lstm(a.features, a.width, a.layers, a.dropout),
           "cnn": lambda: Cnn(a.features, a.window, a.width, a.layers, a.dropout),
           "linear": lambda: Linear(a.features, a.window)}[a.model]()
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=a.weight_decay)
    ema = [q.detach().clone() for q in net.parameters()]
    per_epoch = math.ceil(len(xt) / a.batch)
    total = per_epoch * a.epochs
    step = 0
    start = time.perf_counter()
    for epoch in range(a.epochs):
        net.train()
        order = torch.randperm(len(xt))
        for i in range(0, len(xt), a.batch):
            idx = order[i:i + a.batch]
            # Cosine schedule with one epoch of warm-up, as Kiban's Schedule.
            if step < per_epoch:
                lr = a.lr * (step + 1) / per_epoch
            else:
                progress = min(1.0, (step - per_epoch) / max(1, total - per_epoch))
                lr = a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))
            for g in opt.param_groups:
                g["lr"] = lr
            loss = ((net(xt[idx].clone()) - yt[idx].clone()) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            decay = max(0.0, min(a.ema_max_decay, 1 - (1 + step) ** -0.75))
            with torch.no_grad():
                for e, q in zip(ema, net.parameters()):
                    e.mul_(decay).add_(q, alpha=1 - decay) if step > 0 else e.copy_(q)
            step += 1
        # Validation with the EMA weights, as Kiban's trainer after each epoch.
        net.eval()
        live = [q.detach().clone() for q in net.parameters()]
        with torch.no_grad():
            for e, q in zip(ema, net.parameters()):
                q.copy_(e)
            pred = torch.cat([net(xv[i:i + 1024]) for i in range(0, len(xv), 1024)]).flatten().clamp(0, 1) * a.cap
            rmse = float(((pred - yv) ** 2).mean().sqrt())
            for l, q in zip(live, net.parameters()):
                q.copy_(l)
    train_seconds = time.perf_counter() - start

    net.eval()
    x = xv[:a.infer_batch].clone()
    with torch.no_grad():
        for _ in range(3):
            net(x)
        n = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < a.seconds:
            net(x.clone())
            n += 1
        infer_seconds = time.perf_counter() - t0
    print(json.dumps({"train_steps": step, "train_seconds": train_seconds, "epochs": a.epochs, "validation_rmse": rmse,
                      "infer_batches": n, "infer_rows": n * len(x), "infer_seconds": infer_seconds,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
