#!/usr/bin/env python3
"""The peer of `kiban bench serve --peer python`: a policy server written as openpi's
WebsocketPolicyServer is (openpi/src/openpi/serving/websocket_policy_server.py), serving the very
network Kiban serves, in eager PyTorch as an openpi user runs a policy.

Usage: policy_server.py STAGE_DIR [--metadata FILE] [--port 0]
STAGE_DIR holds spec.json and weights.bin as Kiban writes them for `kiban export`
(TorchScriptExport.writeStage); the module is built by the export script's own code
(kiban-policy's torchscript_export.py, imported from this checkout), not scripted: it runs eagerly
under torch.inference_mode(), on torch's default thread count. --metadata names a JSON file sent
to each client on connect (Kiban's metadata map, so that one client talks to both servers alike).

asyncio websockets on 127.0.0.1, no compression, no size limit; on connect the packed metadata,
then per binary frame: unpack (openpi's msgpack_numpy), infer, add server_timing {infer_ms,
prev_total_ms}, send the packed reply. Request: {"observation.state": (observation_steps,
observation_dim)}; reply: {"actions": float64 (horizon, action_dim), "server_timing": {...}}.
A request that fails gets its error as a text frame, then the connection closes, as openpi's.

Prints one JSON line once listening ({"port", "torch", "threads"}) and serves until stdin closes
or SIGTERM.
"""
import argparse
import asyncio
import http
import json
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

try:
    import msgpack
    import numpy as np
    import torch
    import websockets
except ImportError as e:  # the Java side turns exit status 3 into an install hint
    sys.stderr.write("policy_server.py: this Python lacks a module the peer needs (%s)\n" % e)
    sys.exit(3)

# The export script lives among kiban-policy's resources: a __pycache__ there would be packed into the jar.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
from torchscript_export import KibanPolicy, load_weights, network  # noqa: E402  (the export's modules, not copies)


from msgpack_numpy import packb, unpackb  # noqa: E402  (openpi's packing, shared by the peers)

# websockets 10 has no CloseCode enum (openpi uses websockets.frames.CloseCode.INTERNAL_ERROR).
INTERNAL_ERROR = 1011


class Policy:
    """openpi's Policy.infer for a state-only Kiban policy: numpy in, a batch of one through the module, numpy out."""

    def __init__(self, stage):
        spec = json.loads((stage / "spec.json").read_text())
        if spec.get("images"):
            raise SystemExit("policy_server.py: %s reads cameras; this peer serves state-only policies" % stage)
        net, encoders, params = network(spec)
        load_weights(params, spec, stage / "weights.bin")
        self.spec = spec
        self.module = KibanPolicy(spec, net, encoders).eval()

    def infer(self, obs):
        state = torch.from_numpy(np.asarray(obs["observation.state"], dtype=np.float32))
        m = self.module
        with torch.inference_mode():
            # A one-step policy's state may come as (observation_dim,), as Kiban's metadata says.
            actions = m(state.reshape(1, m.observation_steps, m.observation_dim))[0]
        return {"actions": actions.numpy().astype(np.float64)}


class WebsocketPolicyServer:
    def __init__(self, policy, metadata, host="127.0.0.1", port=0):
        self._policy = policy
        self._metadata = metadata
        self._host = host
        self._port = port

    async def serve(self, stop):
        async with websockets.serve(self._handler, self._host, self._port, compression=None, max_size=None,
                                    process_request=_health_check) as server:
            port = server.sockets[0].getsockname()[1]
            print(json.dumps({"port": port, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
            await stop

    async def _handler(self, websocket, path=None):
        await websocket.send(packb(self._metadata))
        prev_total_time = None
        while True:
            try:
                start_time = time.monotonic()
                obs = unpackb(await websocket.recv())
                infer_time = time.monotonic()
                action = self._policy.infer(obs)
                infer_time = time.monotonic() - infer_time
                action["server_timing"] = {"infer_ms": infer_time * 1000}
                if prev_total_time is not None:
                    action["server_timing"]["prev_total_ms"] = prev_total_time * 1000
                await websocket.send(packb(action))
                prev_total_time = time.monotonic() - start_time
            except websockets.ConnectionClosed:
                break
            except Exception:
                await websocket.send(traceback.format_exc())
                await websocket.close(code=INTERNAL_ERROR, reason="Internal server error")
                raise


async def _health_check(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\n"
    return None


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("stage", type=Path)
    p.add_argument("--metadata", type=Path, help="JSON sent to each client on connect (default: the spec's shapes)")
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    policy = Policy(a.stage)
    s = policy.spec
    metadata = json.loads(a.metadata.read_text()) if a.metadata else {
        "inputs": {"observation.state": {"dtype": "float32",
                                         "shape": [s["observation_steps"], s["encoding"]["observation_dim"]]}},
        "actions": {"dtype": "float64", "shape": [s["horizon"], s["action_dim"]]}}
    metadata["server"] = "python"
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def done():
        if not stop.done():
            stop.set_result(None)

    loop.add_signal_handler(signal.SIGTERM, done)

    def watch_stdin():  # a daemon thread: a read blocked on stdin must not hold up the exit
        sys.stdin.read()
        loop.call_soon_threadsafe(done)

    threading.Thread(target=watch_stdin, daemon=True).start()
    await WebsocketPolicyServer(policy, metadata, port=a.port).serve(stop)


if __name__ == "__main__":
    asyncio.run(main())
