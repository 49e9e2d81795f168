#!/usr/bin/env python3
"""Kiban's flow image policy network (kiban-policy's ImageConditionedBlock around FlowNetwork's MLP head)
in PyTorch, for the peers of `kiban bench train` and `kiban bench infer` with --image-encoder: one
camera's frames per observation step through the camera encoder (the export's ImageEncoder, `cnn`, or
ResNetEncoder, `resnet`: the very modules `kiban export` rebuilds Kiban's encoders with), each step's
features after that step's encoded state, then the MLP over [conditioning, noisy chunk, time features].
Rows come as Kiban's trainer lays them out: the state history, then the camera's frame history as CHW
values in [0, 1].

Run alone, `image_policy.py --check DIR` builds the network from the sizes Kiban wrote to DIR
(spec.json), refuses parameters of other shapes or count, loads Kiban's weights (weights.bin, Kiban's
parameter order), computes the velocity at Kiban's rows, noisy chunks and flow times, and prints how far
it lies from Kiban's, so that a benchmark shows both sides time the same function.
"""
import argparse
import json
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
from torchscript_export import ImageEncoder, ResNetEncoder, mlp  # noqa: E402  (the export's modules, not copies)
from foundation_network import TIME_FEATURES, time_features  # noqa: E402  (FlowSampling.timeFeatures)
from foundation import load_weights, print_check, read_check_inputs, read_floats  # noqa: E402  (the foundation check's)

ENCODERS = ["cnn", "resnet"]


def add_image_arguments(p):
    """The image network's own sizes (PythonPeer.imageArguments); steps, horizon and hidden are network_args.py's,
    --state-dim (encoded state elements per step), --action-dim and --flow-steps foundation.py's."""
    p.add_argument("--image-encoder", default="", choices=[""] + ENCODERS,
                   help="the camera encoder of the flow policy's network; empty: the state-only networks")
    p.add_argument("--image-size", type=int, default=96, help="the camera's height and width")
    p.add_argument("--image-features", type=int, default=64, help="image_feature_dim")


class ImageFlowNetwork(nn.Module):
    """The flow policy's network with one camera; parameters ordered as Kiban's (the encoder, then the head)."""

    def __init__(self, encoder, size, features, state_dim, steps, horizon, action_dim, hidden):
        super().__init__()
        self.size, self.steps, self.state_dim = size, steps, state_dim
        self.chunk = horizon * action_dim
        self.encoder = ResNetEncoder(3, size, size, features) if encoder == "resnet" else ImageEncoder(3, features)
        self.head = mlp(steps * (state_dim + features) + self.chunk + TIME_FEATURES, hidden, self.chunk)
        # Glorot uniform and zero biases for the head's dense layers, as Kiban's initialises them.
        for m in self.head.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def kiban_parameters(self):
        return list(self.encoder.parameters()) + list(self.head.parameters())

    def inputs(self):
        """Elements of one input row: the state history, then the frame history."""
        return self.steps * (self.state_dim + 3 * self.size * self.size)

    def condition(self, states, pixels):
        """states (B, steps * state_dim); pixels (B * steps, 3, H, W) in [0, 1]: per step the state, then its image features."""
        b = states.size(0)
        features = self.encoder(pixels).reshape(b, self.steps, -1)
        return torch.cat([states.reshape(b, self.steps, self.state_dim), features], 2).reshape(b, -1)

    def condition_rows(self, rows):
        """ImageConditionedBlock.condition: rows laid out as Kiban's trainer lays them out."""
        b = rows.size(0)
        at = self.steps * self.state_dim
        return self.condition(rows[:, :at], rows[:, at:].reshape(b * self.steps, 3, self.size, self.size))

    def velocity(self, condition, x, t):
        return self.head(torch.cat([condition, x, time_features(t)], 1))

    def sample(self, condition, flow_steps):
        """FlowSampling.sample: Euler steps from standard normal noise, the image features computed once."""
        b = condition.size(0)
        x = torch.randn(b, self.chunk)
        dt = 1.0 / flow_steps
        for i in range(flow_steps):
            x = x + self.velocity(condition, x, torch.full((b, 1), i * dt)) * dt
        return x


def network(a):
    return ImageFlowNetwork(a.image_encoder, a.image_size, a.image_features, a.state_dim, a.observation_steps, a.horizon,
                            a.action_dim, [int(h) for h in a.hidden.split(",")])


def parameter_count(net):
    return sum(p.numel() for p in net.kiban_parameters())


def check(stage):
    """Kiban's weights in the peer's network: the largest difference between the two sides' velocities."""
    spec = json.loads((stage / "spec.json").read_text())
    net = ImageFlowNetwork(spec["image_encoder"], spec["image_size"], spec["image_features"], spec["state_dim"],
                           spec["observation_steps"], spec["horizon"], spec["action_dim"], spec["hidden"])
    ours = [list(p.shape) for p in net.kiban_parameters()]
    theirs = [w["shape"] for w in spec["parameters"]]
    if ours != theirs:
        raise SystemExit("image_policy.py: the networks differ: the peer's %d parameter tensors (%d values) %s, Kiban's %d "
                         "(%d values) %s" % (len(ours), parameter_count(net), ours, len(theirs),
                                             sum(w["size"] for w in spec["parameters"]), theirs))
    flat = read_floats(stage / "weights.bin", (-1,))
    if flat.numel() != parameter_count(net):
        raise SystemExit("image_policy.py: weights.bin holds %d values, the network %d" % (flat.numel(), parameter_count(net)))
    load_weights(flat, net.kiban_parameters())
    rows, x, t, kiban = read_check_inputs(stage, spec["batch"], net.inputs(), net.chunk)
    with torch.inference_mode():
        v = net.velocity(net.condition_rows(rows), x, t)
    print_check(parameter_count(net), len(ours), v, kiban)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--check", type=Path, required=True, help="a folder Kiban wrote")
    check(p.parse_args().check)
