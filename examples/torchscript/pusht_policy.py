#!/usr/bin/env python3
"""Writes a TorchScript PushT policy folder, as a PyTorch user would for Kiban: model.pt and policy.json.

The policy is a scripted controller, not a trained net: every action of the chunk targets the
block's position, offset by a learnable-looking parameter, so Kiban's output can be checked exactly.
Usage: /usr/bin/python3 examples/torchscript/pusht_policy.py OUT_DIR
then:  ./kiban eval --checkpoint OUT_DIR --env pusht --episodes 10
"""
import json
import sys
from pathlib import Path

import torch
from torch import nn


class ToTheBlock(nn.Module):
    def __init__(self, horizon: int):
        super().__init__()
        self.horizon = horizon
        self.offset = nn.Parameter(torch.tensor([3.0, -2.0]))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        # obs: (batch, steps, 5) = agent x, y, block x, y, angle; use the newest observation.
        block = obs[:, -1, 2:4] + self.offset
        return block.unsqueeze(1).repeat(1, self.horizon, 1)


def feature(name, unit, shape, low, high, names=None):
    f = {"name": name, "unit": unit, "shape": shape, "low": low, "high": high}
    if names:
        f["names"] = names
    return f


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    horizon = 4
    torch.jit.save(torch.jit.script(ToTheBlock(horizon)), str(out / "model.pt"))
    policy = {
        "type": "torchscript",
        "observation_steps": 2,
        "horizon": horizon,
        "action_steps": 2,
        "observation": [
            feature("agent_pos", "px", [2], 0, 512, ["x", "y"]),
            feature("block_pos", "px", [2], 0, 512, ["x", "y"]),
            feature("block_angle", "rad", [1], 0, 6.283185307179586),
        ],
        "action": [feature("target_pos", "px", [2], 0, 512, ["x", "y"])],
    }
    (out / "policy.json").write_text(json.dumps(policy, indent=2))


if __name__ == "__main__":
    main()
