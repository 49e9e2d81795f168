"""An openpi-style client of a server of several embodiments (kiban serve --embodiment all).

On one connection it reads the metadata, then, for every embodiment the metadata lists and every
instruction that embodiment was trained on, sends an observation of STATE in every element with the
instruction as openpi's `prompt` and the embodiment under `embodiment`, taking turns between the
embodiments; then four pipelined requests (two embodiments, one unknown embodiment, one more), a
request without `embodiment`, and a last good request on the same connection. A text frame is the
server's error. Usage: embodiment_client.py URI STATE. Prints one JSON object on stdout.
"""

import asyncio
import json
import sys

import numpy as np

from openpi_client import WebsocketClientPolicy, packb, unpackb


def observation(meta, name, state, prompt):
    shape = meta["embodiments"][name]["inputs"]["observation.state"]["shape"]
    return {"observation.state": np.full(shape, state, dtype=np.float32), "prompt": prompt, "embodiment": name}


def answer(frame):
    return {"error": frame} if isinstance(frame, str) else {"actions": unpackb(frame)["actions"].tolist()}


async def main(uri, state):
    policy = WebsocketClientPolicy(uri)
    await policy.connect()
    meta = policy.get_server_metadata()
    out = {"metadata": meta, "actions": {}}
    names = list(meta["embodiments"])
    most = max(len(meta["embodiments"][n]["instructions"]) for n in names)
    for i in range(most):
        for name in names:  # the embodiments take turns on the one connection
            instructions = meta["embodiments"][name]["instructions"]
            if i < len(instructions):
                reply = await policy.infer(observation(meta, name, state, instructions[i]))
                out["actions"].setdefault(name, {})[instructions[i]] = reply["actions"].tolist()

    ws = policy._ws
    first, second = names[0], names[1]
    pipelined = [observation(meta, first, state, ""), observation(meta, second, state, ""),
                 observation(meta, first, state, "") | {"embodiment": "lego-robot"}, observation(meta, second, state, "")]
    for request in pipelined:
        await ws.send(packb(request))
    out["pipelined"] = [answer(await ws.recv()) for _ in pipelined]

    missing = observation(meta, first, state, "")
    del missing["embodiment"]
    await ws.send(packb(missing))
    out["missing"] = answer(await ws.recv())
    await ws.send(packb(observation(meta, second, state, "")))
    out["after"] = answer(await ws.recv())
    await policy.close()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
