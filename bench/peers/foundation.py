#!/usr/bin/env python3
"""Kiban's foundation network (kiban-policy's FoundationTransformer and FoundationNetwork) in PyTorch,
for the peers of `kiban bench train` and `kiban bench infer`: per embodiment a state encoder, an
action encoder, an action decoder and an embodiment token; shared, a word-token embedding, a
flow-time encoder, learned positions and a pre-norm transformer trunk (the export's EncoderLayer,
Kiban's TransformerLayer: attention without dropout, GELU). A sample's sequence is [embodiment
token, one token per observation step, the instruction's tokens, one token per chunk row plus the
flow time]; the decoder reads the chunk rows' outputs as velocities. Rows come padded as Kiban's
trainer lays them out: [embodiment index, observation_steps x max_state_dim states, max_tokens ids].

Run alone, `foundation.py --check DIR` loads the weights Kiban wrote to DIR (spec.json, weights.bin in
Kiban's parameter order), computes the velocity at Kiban's rows, noisy chunks and flow times, and
prints how far it lies from Kiban's, so that a benchmark can show both sides time the same function.
"""
import argparse
import json
import math
import sys
from array import array
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
from torchscript_export import EncoderLayer  # noqa: E402  (Kiban's TransformerLayer, the export's module)

TIME_FEATURES = 16


def time_features(t):
    """FlowSampling.timeFeatures: sines then cosines of t times pi 2^i."""
    freqs = torch.tensor([math.pi * 2 ** i for i in range(TIME_FEATURES // 2)], dtype=torch.float32)
    angles = t * freqs.reshape(1, -1)
    return torch.cat([angles.sin(), angles.cos()], dim=1)


def add_foundation_arguments(p):
    """The foundation network's own shape arguments (PythonPeer.foundationArguments), FoundationConfig's
    defaults; observation steps, horizon, width and heads are network_args.py's shared ones."""
    p.add_argument("--state-dim", type=int, default=6)
    p.add_argument("--action-dim", type=int, default=2)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--max-tokens", type=int, default=16)
    p.add_argument("--vocabulary", type=int, default=1024)
    p.add_argument("--flow-steps", type=int, default=10)


class FoundationNetwork(nn.Module):
    """One embodiment's foundation network; parameters named and ordered as Kiban's."""

    def __init__(self, state_dim, action_dim, observation_steps, horizon, model_dim, heads, layers, max_tokens,
                 vocabulary):
        super().__init__()
        d = model_dim
        self.state_dim, self.action_dim = state_dim, action_dim
        self.steps, self.horizon, self.max_tokens = observation_steps, horizon, max_tokens
        self.text_embedding = nn.Parameter(torch.randn(vocabulary + 1, d) * 0.02)
        self.time_in = nn.Linear(TIME_FEATURES, d)
        self.position = nn.Parameter(torch.randn(1 + observation_steps + max_tokens + horizon, d) * 0.02)
        self.trunk = nn.ModuleList([EncoderLayer(d, heads) for _ in range(layers)])
        self.out_norm = nn.LayerNorm(d)
        self.state_in = nn.Linear(state_dim, d)
        self.action_in = nn.Linear(action_dim, d)
        self.action_out = nn.Linear(d, action_dim)
        self.token = nn.Parameter(torch.randn(1, d) * 0.02)
        # Glorot uniform and zero biases, as Kiban's ParameterBlock initialises its dense layers.
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def kiban_parameters(self):
        """(name, parameter) in Kiban's order: the shared ones, then embodiment 0's heads."""
        def dense(name, m):
            return [(name + "_weight", m.weight), (name + "_bias", m.bias)]

        def norm(name, m):
            return [(name + "_gamma", m.weight), (name + "_beta", m.bias)]
        out = [("text_embedding", self.text_embedding)] + dense("time_in", self.time_in) + [("position", self.position)]
        for i, layer in enumerate(self.trunk):
            p = "trunk%d_" % i
            out += norm(p + "norm1", layer.norm1) + dense(p + "qkv", layer.qkv) + dense(p + "out", layer.out)
            out += norm(p + "norm2", layer.norm2) + dense(p + "ff1", layer.ff1) + dense(p + "ff2", layer.ff2)
        out += norm("out_norm", self.out_norm)
        out += dense("e0_state_in", self.state_in) + dense("e0_action_in", self.action_in)
        out += dense("e0_action_out", self.action_out) + [("e0_token", self.token)]
        return out

    def split_rows(self, rows):
        """The embodiment index (read on the host, as Kiban reads it), the states and the token ids of padded rows."""
        b = rows.size(0)
        e = int(round(rows[0, 0].item()))
        if e != 0:
            raise ValueError("embodiment index %d of 1" % e)
        max_state = (rows.size(1) - 1 - self.max_tokens) // self.steps
        padded = rows[:, 1:1 + self.steps * max_state].reshape(b, self.steps, max_state)
        states = padded[:, :, :self.state_dim].reshape(b, self.steps * self.state_dim)
        return states, rows[:, 1 + self.steps * max_state:]

    def velocity(self, states, token_ids, x, t):
        b = states.size(0)
        state_tokens = self.state_in(states.reshape(b, self.steps, self.state_dim))
        embodiment = self.token.unsqueeze(0).expand(b, 1, self.token.size(1))
        words = nn.functional.embedding(token_ids.long(), self.text_embedding)
        time = self.time_in(time_features(t)).unsqueeze(1)
        actions = self.action_in(x.reshape(b, self.horizon, self.action_dim)) + time
        seq = torch.cat([embodiment, state_tokens, words, actions], 1) + self.position.unsqueeze(0)
        for layer in self.trunk:
            seq = layer(seq)
        out = self.out_norm(seq[:, seq.size(1) - self.horizon:])
        return self.action_out(out).reshape(b, self.horizon * self.action_dim)

    def sample(self, rows, flow_steps):
        """FlowSampling.sample without inpainting: Euler steps from standard normal noise."""
        states, tokens = self.split_rows(rows)
        b = rows.size(0)
        x = torch.randn(b, self.horizon * self.action_dim)
        dt = 1.0 / flow_steps
        for i in range(flow_steps):
            t = torch.full((b, 1), i * dt)
            x = x + self.velocity(states, tokens, x, t) * dt
        return x


def network(a):
    return FoundationNetwork(a.state_dim, a.action_dim, a.observation_steps, a.horizon, a.model_dim, a.heads, a.layers,
                             a.max_tokens, a.vocabulary)


def read_floats(path, shape):
    values = array("f")
    values.frombytes(path.read_bytes())
    if sys.byteorder != "little":
        values.byteswap()
    return torch.frombuffer(values, dtype=torch.float32).clone().reshape(shape)


def check(stage):
    """Kiban's weights in the peer's network: the largest difference between the two sides' velocities."""
    spec = json.loads((stage / "spec.json").read_text())
    net = FoundationNetwork(spec["state_dim"], spec["action_dim"], spec["observation_steps"], spec["horizon"],
                            spec["model_dim"], spec["heads"], spec["layers"], spec["max_tokens"], spec["vocabulary"])
    ours = net.kiban_parameters()
    theirs = spec["parameters"]
    names = [n for n, _ in ours]
    if names != [w["name"] for w in theirs] or [list(p.shape) for _, p in ours] != [w["shape"] for w in theirs]:
        raise SystemExit("parameters differ: the peer has %s, Kiban %s"
                         % ([(n, list(p.shape)) for n, p in ours], [(w["name"], w["shape"]) for w in theirs]))
    flat = read_floats(stage / "weights.bin", (-1,))
    at = 0
    with torch.no_grad():
        for _, p in ours:
            p.copy_(flat[at:at + p.numel()].reshape(p.shape))
            at += p.numel()
    b = spec["batch"]
    rows = read_floats(stage / "rows.bin", (b, -1))
    x = read_floats(stage / "x.bin", (b, -1))
    t = read_floats(stage / "t.bin", (b, 1))
    kiban = read_floats(stage / "velocity.bin", (b, -1))
    with torch.inference_mode():
        states, tokens = net.split_rows(rows)
        v = net.velocity(states, tokens, x, t)
    print(json.dumps({"parameters": sum(p.numel() for _, p in ours), "tensors": len(ours),
                      "max_abs_difference": (v - kiban).abs().max().item(), "max_abs_velocity": kiban.abs().max().item(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--check", type=Path, required=True, help="a folder Kiban wrote")
    check(p.parse_args().check)
