#!/usr/bin/env python3
"""The peer of `kiban bench infer`: batch-1 inference of the same policy network in PyTorch eager,
called as a Python control loop calls it: a numpy observation in, a float64 numpy chunk out, under
torch.inference_mode(). Prints one JSON object: the latency percentiles in microseconds and every
timed call in nanoseconds (ns), so that Kiban can pool rounds.

Run by Kiban with Debian's python3-torch; usage:
  infer_step.py --policy mlp|act --obs 12 --chunk 32 --hidden 512,512,512 --calls 3000 --threads 1

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


def percentile(sorted_ns, q):
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))] / 1000.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--policy", default="mlp", choices=["mlp", "act"])
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--threads", type=int, default=1, help="intra-op threads; 0 keeps torch's default")
    add_network_arguments(p)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
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


if __name__ == "__main__":
    main()
