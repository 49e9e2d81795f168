#!/usr/bin/env python3
"""Kiban's foundation network (kiban-policy's FoundationTransformer and FoundationNetwork) in PyTorch,
for the peers of `kiban bench train` and `kiban bench infer`: per embodiment a state encoder, an
action encoder, an action decoder and an embodiment token; shared, a word-token embedding, a
flow-time encoder, learned positions and a pre-norm transformer trunk (the export's EncoderLayer,
Kiban's TransformerLayer: attention without dropout, GELU). The network is kiban-policy's
foundation_network.py, the module `kiban export` scripts for a foundation run. A sample's sequence is [embodiment
token, one token per observation step, the instruction's tokens, one token per chunk row plus the
flow time]; the decoder reads the chunk rows' outputs as velocities. Rows come padded as Kiban's
trainer lays them out: [embodiment index, observation_steps x max_state_dim states, max_tokens ids].

Run alone, `foundation.py --check DIR` loads the weights Kiban wrote to DIR (spec.json, weights.bin in
Kiban's parameter order), computes the velocity at Kiban's rows, noisy chunks and flow times, and
prints how far it lies from Kiban's, so that a benchmark can show both sides time the same function.
"""
import argparse
import json
import sys
from array import array
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
# Kiban's foundation network as `kiban export` scripts it: one module for the export and the benchmarks.
from foundation_network import FoundationNetwork, time_features  # noqa: E402,F401


def add_foundation_arguments(p):
    """The foundation network's own shape arguments (PythonPeer.foundationArguments), FoundationConfig's
    defaults; observation steps, horizon, width and heads are network_args.py's shared ones."""
    p.add_argument("--state-dim", type=int, default=6)
    p.add_argument("--action-dim", type=int, default=2)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--max-tokens", type=int, default=16)
    p.add_argument("--vocabulary", type=int, default=1024)
    p.add_argument("--flow-steps", type=int, default=10)


def network(a):
    return FoundationNetwork(a.state_dim, a.action_dim, a.observation_steps, a.horizon, a.model_dim, a.heads, a.layers,
                             a.max_tokens, a.vocabulary)


def read_floats(path, shape):
    values = array("f")
    values.frombytes(path.read_bytes())
    if sys.byteorder != "little":
        values.byteswap()
    return torch.frombuffer(values, dtype=torch.float32).clone().reshape(shape)


def load_weights(flat, parameters):
    """Kiban's weights, laid end to end in its parameter order, into the peer's parameters in the same order."""
    at = 0
    with torch.no_grad():
        for p in parameters:
            p.copy_(flat[at:at + p.numel()].reshape(p.shape))
            at += p.numel()


def read_check_inputs(stage, b, inputs=-1, chunk=-1):
    """The b rows, noisy chunks and flow times a check's stage holds, and Kiban's velocity at them."""
    return (read_floats(stage / "rows.bin", (b, inputs)), read_floats(stage / "x.bin", (b, chunk)),
            read_floats(stage / "t.bin", (b, 1)), read_floats(stage / "velocity.bin", (b, chunk)))


def print_check(parameters, tensors, velocity, kiban):
    """A check's answer, as Kiban's PeerCheck reads it."""
    print(json.dumps({"parameters": parameters, "tensors": tensors,
                      "max_abs_difference": (velocity - kiban).abs().max().item(),
                      "max_abs_velocity": kiban.abs().max().item(), "torch": torch.__version__}))


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
    load_weights(read_floats(stage / "weights.bin", (-1,)), [p for _, p in ours])
    rows, x, t, kiban = read_check_inputs(stage, spec["batch"])
    with torch.inference_mode():
        states, tokens = net.split_rows(rows)
        v = net.velocity(states, tokens, x, t)
    print_check(sum(p.numel() for _, p in ours), len(ours), v, kiban)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--check", type=Path, required=True, help="a folder Kiban wrote")
    check(p.parse_args().check)
