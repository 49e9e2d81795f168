#!/usr/bin/env python3
"""Whether GroupNorm's composition explains the resnet image encoder's training ratio: the export's
ResNetEncoder with PyTorch's fused GroupNorm against the same encoder with each GroupNorm composed
op for op as Kiban's ResNetEncoder computes it (reshape, two means, subtract, square, add, sqrt,
divide, scale, shift). Prints that both give the same output and the time of each, 128 frames of
96x96 on one thread, best of 3 rounds of 2 passes. In PyTorch 1.13 it does (docs/PERFORMANCE.md);
in Kiban's libtorch 2.7 a fused variant did not change the step's ratio.

Usage (Debian's python3-torch): OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/group_norm.py
"""
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
import torchscript_export as te  # noqa: E402  (the export's modules, not copies)


class ComposedGroupNorm(torch.nn.Module):
    """Kiban's ResNetEncoder.GroupNorm, op for op, with the fused module's scale and shift."""

    def __init__(self, norm):
        super().__init__()
        self.groups, self.weight, self.bias = norm.num_groups, norm.weight, norm.bias

    def forward(self, x):
        s = x.shape
        g = x.reshape(s[0], self.groups, -1)
        centred = g - g.mean(2, keepdim=True)
        normed = (centred / (centred.square().mean(2, keepdim=True) + 1e-5).sqrt()).reshape(s)
        return normed * self.weight.reshape(1, -1, 1, 1) + self.bias.reshape(1, -1, 1, 1)


def compose(module):
    for name, child in module.named_children():
        if isinstance(child, torch.nn.GroupNorm):
            setattr(module, name, ComposedGroupNorm(child))
        else:
            compose(child)


def main():
    torch.set_num_threads(1)
    fused = te.ResNetEncoder(3, 96, 96, 64)
    composed = te.ResNetEncoder(3, 96, 96, 64)
    composed.load_state_dict(fused.state_dict())
    compose(composed)
    x = torch.rand(128, 3, 96, 96)
    print("same output: max |difference| %.2g" % (fused(x) - composed(x)).abs().max().item())
    for label, train in (("forward+backward", True), ("inference", False)):
        best = {}
        for _ in range(3):
            for name, net in (("fused", fused), ("composed", composed)):
                t0 = time.perf_counter()
                for _ in range(2):
                    if train:
                        net(x).sum().backward()
                    else:
                        with torch.inference_mode():
                            net(x)
                best[name] = min(best.get(name, 1e9), (time.perf_counter() - t0) / 2)
        print("%s, 128 frames: fused group_norm %.0f ms, composed %.0f ms, %.2fx"
              % (label, 1000 * best["fused"], 1000 * best["composed"], best["composed"] / best["fused"]))


if __name__ == "__main__":
    main()
