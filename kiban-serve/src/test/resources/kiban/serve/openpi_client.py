"""An openpi-style policy client, as openpi's openpi_client package writes one.

It packs numpy arrays the way openpi's msgpack_numpy does (byte-string keys), retries the
connection until the server is up, reads the metadata frame, then sends observations and reads
replies on one connection; a text frame from the server is an error. Debian's python3-websockets
(10.x) has no websockets.sync, so the calls run on asyncio; the wire traffic is the same.

Usage: openpi_client.py URI SEED COUNT [API_KEY]. Prints one JSON object on stdout.
"""

import asyncio
import functools
import json
import sys

import msgpack
import numpy as np
import websockets


def pack_array(obj):
    if isinstance(obj, (np.ndarray, np.generic)) and obj.dtype.kind in ("V", "O", "c"):
        raise ValueError(f"Unsupported dtype: {obj.dtype}")
    if isinstance(obj, np.ndarray):
        return {b"__ndarray__": True, b"data": obj.tobytes(), b"dtype": obj.dtype.str, b"shape": obj.shape}
    if isinstance(obj, np.generic):
        return {b"__npgeneric__": True, b"data": obj.item(), b"dtype": obj.dtype.str}
    return obj


def unpack_array(obj):
    if b"__ndarray__" in obj:
        return np.ndarray(buffer=obj[b"data"], dtype=np.dtype(obj[b"dtype"]), shape=obj[b"shape"])
    if b"__npgeneric__" in obj:
        return np.dtype(obj[b"dtype"]).type(obj[b"data"])
    return obj


packb = functools.partial(msgpack.packb, default=pack_array)
unpackb = functools.partial(msgpack.unpackb, object_hook=unpack_array)


class WebsocketClientPolicy:
    """openpi's client: connect with retries, keep the metadata, one request and reply per infer."""

    def __init__(self, uri, api_key=None):
        self._uri = uri
        self._headers = {"Authorization": f"Api-Key {api_key}"} if api_key else None
        self._ws = None
        self._metadata = None

    async def connect(self):
        for _ in range(200):
            try:
                self._ws = await websockets.connect(
                    self._uri, compression=None, max_size=None, extra_headers=self._headers)
                self._metadata = unpackb(await self._ws.recv())
                return
            except (ConnectionRefusedError, OSError):
                await asyncio.sleep(0.1)
        raise RuntimeError(f"no server at {self._uri}")

    def get_server_metadata(self):
        return self._metadata

    async def infer(self, obs):
        await self._ws.send(packb(obs))
        response = await self._ws.recv()
        if isinstance(response, str):
            # The server sends the error text as a text frame, then closes.
            raise RuntimeError(f"Error in inference server:\n{response}")
        return unpackb(response)

    async def close(self):
        await self._ws.close()


async def main(uri, seed, count, api_key):
    out = {}
    policy = WebsocketClientPolicy(uri, api_key)
    await policy.connect()
    meta = policy.get_server_metadata()
    out["metadata"] = meta
    shape = meta["inputs"]["observation.state"]["shape"]
    # Camera frames: every uint8 input the metadata lists, as a robot's cameras give them.
    cameras = {k: v["shape"] for k, v in meta["inputs"].items() if v.get("dtype") == "uint8"}
    rng = np.random.default_rng(seed)
    out["states"], out["actions"], out["timing"], out["images"] = [], [], [], []
    for _ in range(count):
        state = rng.uniform(-3, 3, size=shape).astype(np.float32)
        frames = {k: rng.integers(0, 256, size=s, dtype=np.uint8) for k, s in cameras.items()}
        reply = await policy.infer({"observation.state": state, "prompt": "reach the target", **frames})
        actions = reply["actions"]
        assert isinstance(actions, np.ndarray), type(actions)
        out["states"].append(state.astype(np.float64).tolist())
        out["images"].append({k: f.reshape(-1).tolist() for k, f in frames.items()})
        out["actions"].append(actions.tolist())
        out["actions_dtype"] = actions.dtype.str
        out["timing"].append(reply["server_timing"])
    out["ack"] = (await policy.infer({"__ctrl__": "episode_start"}))
    # openpi's loop as it is: the current observation only, one call per step, on its own connection; an
    # episode_start control message (a reset) between two episodes. The metadata's server_history says what one
    # observation holds.
    one = meta["server_history"]["inputs"]
    stepper = WebsocketClientPolicy(uri, api_key)
    await stepper.connect()
    out["steps"], out["step_actions"] = [], []
    for episode in range(2):
        if episode > 0:
            out["steps"].append("reset")
            out["step_actions"].append(await stepper.infer({"__ctrl__": "episode_start"}))
        for _ in range(3):
            state = rng.uniform(-3, 3, size=one["observation.state"]["shape"]).astype(np.float32)
            frames = {k: rng.integers(0, 256, size=v["shape"], dtype=np.uint8) for k, v in one.items() if v["dtype"] == "uint8"}
            reply = await stepper.infer({"observation.state": state, "prompt": "reach the target", **frames})
            out["steps"].append({"state": state.astype(np.float64).tolist(),
                                 "images": {k: f.reshape(-1).tolist() for k, f in frames.items()}})
            out["step_actions"].append(reply["actions"].tolist())
    await stepper.close()
    try:
        await policy.infer({"observation.state": np.zeros([1, 1, 1], dtype=np.int64)})
        out["error"] = None
    except RuntimeError as e:
        out["error"] = str(e)
    await policy.close()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None))
