"""An openpi-style client that sends each observation with a prompt, as openpi's clients do.

Usage: prompt_client.py URI PEERS_DIR PROMPT [PROMPT ...]. Sends the same observation once per
prompt on one connection and prints one JSON object: the server's metadata and each prompt's
actions. PEERS_DIR holds bench/peers/msgpack_numpy.py (openpi's array packing).
"""

import asyncio
import json
import sys

import numpy as np
import websockets


async def main(uri, prompts):
    import msgpack_numpy
    async with websockets.connect(uri, max_size=None, compression=None) as ws:
        metadata = msgpack_numpy.unpackb(await ws.recv())
        shape = metadata["inputs"]["observation.state"]["shape"]
        state = np.linspace(-0.5, 0.5, int(np.prod(shape)), dtype=np.float32).reshape(shape)
        actions = {}
        for prompt in prompts:
            await ws.send(msgpack_numpy.packb({"observation.state": state, "prompt": prompt}))
            reply = await ws.recv()
            if isinstance(reply, str):
                raise RuntimeError(reply)
            actions[prompt] = msgpack_numpy.unpackb(reply)["actions"].tolist()
        print(json.dumps({"metadata": {k: v for k, v in metadata.items() if isinstance(v, (str, int, float, list))},
                          "actions": actions}))


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[2])
    asyncio.run(main(sys.argv[1], sys.argv[3:]))
