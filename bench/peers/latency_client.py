#!/usr/bin/env python3
"""The client of `kiban bench serve --peer python`: an openpi-style policy client (as openpi_client's
WebsocketClientPolicy: msgpack_numpy, one connection, no compression, no size limit; on asyncio,
since Debian's websockets 10 has no sync client) timing round trips against one server.

Usage: latency_client.py URI [--calls 3000] [--warmup 200] [--seed 0]
Connects (retrying until the server is up), reads the metadata, sends --warmup untimed and then
--calls timed requests of a float64 state history shaped as the metadata's inputs say
(observation.state), each request's values drawn anew (uniform within the metadata's observation
features' low and high where given, else [-1, 1]; seeded). Each round trip is timed with
time.perf_counter_ns from packing the request to unpacking the reply, as a user's infer() call
takes. Then one probe request of a fixed state, whose actions let a caller check that two servers
compute the same thing.

Prints one JSON object: the round trip's p50, p99, p99.9 and mean in microseconds and every sample;
the server-reported infer_ms (server_timing) likewise where the server sends it; the probe's state
and actions; the server's name from the metadata.
"""
import argparse
import asyncio
import json
import math
import time

import numpy as np
import websockets

from msgpack_numpy import packb, unpackb  # openpi's packing, shared by the peers beside this file


class WebsocketClientPolicy:
    """openpi's client: connect with retries, keep the metadata, one request and reply per infer."""

    def __init__(self, uri):
        self._uri = uri
        self._ws = None
        self._metadata = None

    async def connect(self, seconds=60):
        deadline = time.monotonic() + seconds
        while True:
            try:
                self._ws = await websockets.connect(self._uri, compression=None, max_size=None)
                self._metadata = unpackb(await self._ws.recv())
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no server at {self._uri} after {seconds} s")
                await asyncio.sleep(0.1)

    def get_server_metadata(self):
        return self._metadata

    async def infer(self, obs):
        await self._ws.send(packb(obs))
        response = await self._ws.recv()
        if isinstance(response, str):
            raise RuntimeError(f"Error in inference server:\n{response}")
        return unpackb(response)

    async def close(self):
        await self._ws.close()


def bounds(meta, dim):
    """Per state element the low and high of the metadata's observation features, else -1 and 1."""
    low, high = [], []
    for f in meta.get("observation", []):
        size = math.prod(f.get("shape") or [1])
        lo, hi = f.get("low") or [-1.0] * size, f.get("high") or [1.0] * size
        for a, b in zip(lo, hi):
            finite = isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isfinite(a) and math.isfinite(b)
            low.append(a if finite else -1.0)
            high.append(b if finite else 1.0)
    if len(low) != dim:
        return np.full(dim, -1.0), np.full(dim, 1.0)
    return np.array(low, dtype=np.float64), np.array(high, dtype=np.float64)


def percentiles(values):
    v = np.sort(np.asarray(values, dtype=np.float64))
    if len(v) == 0:
        return None
    # The sample at floor(q * n), as Kiban's benchmarks take a quantile.
    q = {name: float(v[min(len(v) - 1, int(math.floor(p * len(v))))]) for name, p in
         (("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999))}
    q["mean"] = float(v.mean())
    return q


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("uri")
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    policy = WebsocketClientPolicy(a.uri)
    await policy.connect()
    meta = policy.get_server_metadata()
    shape = meta["inputs"]["observation.state"]["shape"]
    low, high = bounds(meta, shape[-1])
    rng = np.random.default_rng(a.seed)
    # Drawn before the timed loop: the timing holds what a robot's infer() call holds, not the drawing.
    states = [low + (high - low) * rng.random(shape) for _ in range(a.warmup + a.calls)]
    rtt_us, infer_ms = [], []
    for i, state in enumerate(states):
        start = time.perf_counter_ns()
        reply = await policy.infer({"observation.state": state})
        elapsed = time.perf_counter_ns() - start
        if i >= a.warmup:
            rtt_us.append(elapsed / 1000)
            timing = reply.get("server_timing", {})
            if "infer_ms" in timing:
                infer_ms.append(float(timing["infer_ms"]))
    # A fixed state: its elements spread from 0.3 to 0.7 of their ranges, the same for every server.
    probe = low + (high - low) * np.linspace(0.3, 0.7, num=math.prod(shape)).reshape(shape)
    actions = (await policy.infer({"observation.state": probe}))["actions"]
    await policy.close()
    print(json.dumps({
        "server": str(meta.get("server", "unknown")),
        "calls": len(rtt_us),
        "warmup": a.warmup,
        "rtt_us": percentiles(rtt_us),
        "infer_ms": percentiles(infer_ms),
        "rtt_us_samples": [round(x, 3) for x in rtt_us],
        "infer_ms_samples": infer_ms,
        "probe_state": probe.tolist(),
        "probe_actions": np.asarray(actions, dtype=np.float64).tolist(),
    }))


if __name__ == "__main__":
    asyncio.run(main())
