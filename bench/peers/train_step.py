#!/usr/bin/env python3
"""The peer of `kiban bench train`: the same policy networks, batch, loss, clipping, AdamW and EMA
as Kiban's TrainStep, timed in Python PyTorch. Prints one JSON object per policy.

Run by Kiban with Debian's python3-torch; usage:
  train_step.py --policy mlp|flow --batch 256 --obs 12 --chunk 32 --hidden 512,512,512 --seconds 10
"""
import argparse
import json
import math
import time

import torch
from torch import nn


def mlp(inputs, hidden, outputs):
    layers = []
    width = inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.LayerNorm(h), nn.GELU()]
        width = h
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


TIME_FEATURES = 16


def time_features(t):
    freqs = torch.tensor([math.pi * 2 ** i for i in range(TIME_FEATURES // 2)], dtype=torch.float32)
    angles = t * freqs.reshape(1, -1)
    return torch.cat([angles.sin(), angles.cos()], dim=1)


def masked_mse(pred, target, mask):
    return ((pred - target) ** 2 * mask).sum() / mask.sum().clamp(min=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--policy", default="mlp")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--obs", type=int, default=12)
    p.add_argument("--chunk", type=int, default=32)
    p.add_argument("--hidden", default="512,512,512")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    hidden = [int(h) for h in a.hidden.split(",")]
    flow = a.policy == "flow"
    net = mlp(a.obs + (a.chunk + TIME_FEATURES if flow else 0), hidden, a.chunk)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-6)
    ema = [q.detach().clone() for q in net.parameters()]
    obs = torch.randn(a.batch, a.obs)
    act = torch.randn(a.batch, a.chunk)
    mask = torch.ones(a.batch, a.chunk)

    def step(k):
        if flow:
            noise = torch.randn_like(act)
            t = torch.rand(a.batch, 1)
            xt = noise * (1 - t) + act * t
            pred = net(torch.cat([obs, xt, time_features(t)], dim=1))
            loss = masked_mse(pred, act - noise, mask)
        else:
            loss = masked_mse(net(obs), act, mask)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        decay = min(0.999, 1 - (1 + k) ** -0.75)
        with torch.no_grad():
            for e, q in zip(ema, net.parameters()):
                e.mul_(decay).add_(q, alpha=1 - decay)
        return loss.item()

    for k in range(20):
        step(k)
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < a.seconds:
        step(20 + steps)
        steps += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"policy": a.policy, "steps": steps, "seconds": elapsed,
                      "ms_per_step": 1000 * elapsed / steps, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
