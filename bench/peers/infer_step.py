#!/usr/bin/env python3
"""The peer of `kiban bench infer`: batch-1 inference of the same policy network in PyTorch eager,
called as a Python control loop calls it: a numpy observation in, a float64 numpy chunk out, under
torch.inference_mode(). Prints one JSON object: the latency percentiles in microseconds and every
timed call in nanoseconds (ns), so that Kiban can pool rounds.

Run by Kiban with Debian's python3-torch; usage:
  infer_step.py --policy mlp|act --obs 12 --chunk 32 --hidden 512,512,512 --calls 3000 --threads 1
  infer_step.py --policy foundation --state-dim 6 --action-dim 2 ... --flow-steps 10 --calls 3000 --threads 1
                [--batch 64 --batch-calls 100 --batch-threads 2]
  infer_step.py --policy flow --image-encoder cnn|resnet --image-size 96 --state-dim 2 ... --calls 3000 --threads 1
                [--batch 64 --batch-calls 100 --batch-threads 2]

The foundation policy is Kiban's FoundationNetwork (foundation.py): a padded row in (the embodiment's
index, its states, an instruction's word ids), flow_steps Euler steps from standard normal noise, the
chunk out, as FoundationPolicy samples; with --batch, also --batch-calls calls of that many rows at
--batch-threads threads, whose times come back as batch_ns.

With --image-encoder the flow policy reads a camera (image_policy.py), called as a control loop calls
Kiban's policy: the state history as numpy floats and the camera's frames as recorded (uint8, HWC),
turned into CHW values in [0, 1] (as the export's module and Kiban's ImagePixels do), encoded once,
then flow_steps Euler steps; the batched figure as the foundation's.

The networks are the very modules `kiban export` rebuilds Kiban's networks with (kiban-policy's
torchscript_export.py, imported from this checkout), as in the training peer.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
from torchscript_export import mlp  # noqa: E402  (the export's modules, not copies)
from network_args import act_network, add_network_arguments, hidden_widths  # noqa: E402  (shared with train_step.py)
import foundation  # noqa: E402  (Kiban's foundation network, shared with train_step.py)
import image_policy  # noqa: E402  (Kiban's flow image network, shared with train_step.py)


def percentile(sorted_ns, q):
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))] / 1000.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--policy", default="mlp", choices=["mlp", "act", "foundation", "flow"])
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--threads", type=int, default=1, help="intra-op threads; 0 keeps torch's default")
    p.add_argument("--batch", type=int, default=0, help="rows of the batched figure (foundation); 0: none")
    p.add_argument("--batch-calls", type=int, default=100)
    p.add_argument("--batch-threads", type=int, default=0, help="intra-op threads of the batched figure; 0 keeps torch's default")
    add_network_arguments(p)
    foundation.add_foundation_arguments(p)
    image_policy.add_image_arguments(p)
    a = p.parse_args()
    default_threads = torch.get_num_threads()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.policy == "foundation":
        run_foundation(a, default_threads)
        return
    if a.policy == "flow":
        if not a.image_encoder:
            raise SystemExit("infer_step.py: the flow policy is timed here only with a camera (--image-encoder)")
        run_images(a, default_threads)
        return
    net = act_network(a) if a.policy == "act" else mlp(a.obs, hidden_widths(a), a.chunk)
    net.eval()
    rng = np.random.default_rng(0)
    observations = rng.standard_normal((64, 1, a.obs)).astype(np.float32)
    timed = []
    with torch.inference_mode():
        for i in range(-(a.calls // 10), a.calls):
            t0 = time.perf_counter_ns()
            chunk = net(torch.from_numpy(observations[i % 64])).numpy().astype(np.float64)
            t = time.perf_counter_ns() - t0
            if i >= 0:
                timed.append(t)
    assert chunk.shape[-1] == a.chunk // a.horizon or chunk.size == a.chunk
    timed.sort()
    print(json.dumps({"policy": a.policy, "calls": a.calls, "p50_us": percentile(timed, 0.5),
                      "p99_us": percentile(timed, 0.99), "p99_9_us": percentile(timed, 0.999),
                      "seconds": sum(timed) / 1e9, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "ns": timed}))


def foundation_rows(a, n, rng):
    """n padded rows of embodiment 0: its states, then an instruction's word ids (some of them padding, 0)."""
    rows = np.zeros((n, 1 + a.observation_steps * a.state_dim + a.max_tokens), dtype=np.float32)
    rows[:, 1:1 + a.observation_steps * a.state_dim] = rng.standard_normal((n, a.observation_steps * a.state_dim))
    rows[:, rows.shape[1] - a.max_tokens:] = rng.integers(0, a.vocabulary + 1, (n, a.max_tokens))
    return rows


def time_calls(net, a, rows, calls):
    timed = []
    for i in range(-(calls // 10), calls):
        t0 = time.perf_counter_ns()
        chunk = net.sample(torch.from_numpy(rows[i % len(rows)]), a.flow_steps).numpy().astype(np.float64)
        t = time.perf_counter_ns() - t0
        if i >= 0:
            timed.append(t)
    assert chunk.shape == (rows.shape[1], a.horizon * a.action_dim)
    return timed


def run_foundation(a, default_threads):
    net = foundation.network(a)
    net.eval()
    rng = np.random.default_rng(0)
    out = {"policy": a.policy, "calls": a.calls, "torch": torch.__version__, "threads": torch.get_num_threads()}
    with torch.inference_mode():
        timed = sorted(time_calls(net, a, foundation_rows(a, 64, rng).reshape(64, 1, -1), a.calls))
        out.update({"p50_us": percentile(timed, 0.5), "p99_us": percentile(timed, 0.99),
                    "p99_9_us": percentile(timed, 0.999), "seconds": sum(timed) / 1e9, "ns": timed})
        if a.batch > 0:
            torch.set_num_threads(a.batch_threads if a.batch_threads > 0 else default_threads)
            batch = sorted(time_calls(net, a, foundation_rows(a, a.batch, rng).reshape(1, a.batch, -1), a.batch_calls))
            out.update({"batch": a.batch, "batch_threads": torch.get_num_threads(), "batch_ns": batch})
    print(json.dumps(out))


def time_image_calls(net, a, states, frames, calls):
    """Calls of as many rows as states has: uint8 HWC frames to CHW values in [0, 1], encoded once, then sampled."""
    timed = []
    b, steps = states.shape[1], a.observation_steps
    for i in range(-(calls // 10), calls):
        k = i % len(states)
        t0 = time.perf_counter_ns()
        pixels = torch.from_numpy(frames[k]).to(torch.float32).div_(255.0).permute(0, 1, 4, 2, 3)
        condition = net.condition(torch.from_numpy(states[k]).reshape(b, -1),
                                  pixels.reshape(b * steps, 3, a.image_size, a.image_size))
        chunk = net.sample(condition, a.flow_steps).numpy().astype(np.float64)
        t = time.perf_counter_ns() - t0
        if i >= 0:
            timed.append(t)
    assert chunk.shape == (b, net.chunk)
    return timed


def image_inputs(a, rows, rng, n=8):
    """n calls' inputs of `rows` rows: states (n, rows, steps, state_dim) and frames (n, rows, steps, H, W, 3) uint8."""
    states = rng.standard_normal((n, rows, a.observation_steps, a.state_dim)).astype(np.float32)
    frames = rng.integers(0, 256, (n, rows, a.observation_steps, a.image_size, a.image_size, 3), dtype=np.uint8)
    return states, frames


def run_images(a, default_threads):
    net = image_policy.network(a)
    net.eval()
    rng = np.random.default_rng(0)
    out = {"policy": a.policy, "image_encoder": a.image_encoder, "calls": a.calls, "torch": torch.__version__,
           "threads": torch.get_num_threads(), "parameters": image_policy.parameter_count(net)}
    with torch.inference_mode():
        timed = sorted(time_image_calls(net, a, *image_inputs(a, 1, rng), a.calls))
        out.update({"p50_us": percentile(timed, 0.5), "p99_us": percentile(timed, 0.99),
                    "p99_9_us": percentile(timed, 0.999), "seconds": sum(timed) / 1e9, "ns": timed})
        if a.batch > 0:
            torch.set_num_threads(a.batch_threads if a.batch_threads > 0 else default_threads)
            batch = sorted(time_image_calls(net, a, *image_inputs(a, a.batch, rng, 2), a.batch_calls))
            out.update({"batch": a.batch, "batch_threads": torch.get_num_threads(), "batch_ns": batch})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
