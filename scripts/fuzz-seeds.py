#!/usr/bin/python3
# Writes the seed inputs of the msgpack and JSON fuzz targets: requests as openpi's Python client
# encodes them (msgpack with numpy arrays as {__ndarray__, data, dtype, shape}). Run from the repository root.
import msgpack, numpy as np, os, json, sys
def arr(a): return {b"__ndarray__": True, b"data": a.tobytes(), b"dtype": a.dtype.str, b"shape": list(a.shape)}
def pk(o): return msgpack.packb(o, use_bin_type=True)
st = np.arange(6, dtype=np.float32).reshape(2, 3)
img = np.zeros((2, 2, 2, 3), dtype=np.uint8)
seeds = {
  "history": pk({"observation.state": arr(st)}),
  "history-f64": pk({"observation.state": arr(st.astype(np.float64)), "prompt": "push the T"}),
  "one-step": pk({"observation.state": arr(st[0])}),
  "with-camera": pk({"observation.state": arr(st), "observation.images.top": arr(img), "prompt": "go"}),
  "one-step-camera": pk({"observation.state": arr(st[1]), "observation.images.top": arr(img[0])}),
  "control": pk({"__ctrl__": "episode_start"}),
  "nested": pk({"x": [1, 2.5, "s", [], {"k": None, "b": True}], "observation.state": arr(st)}),
}
out = sys.argv[1] if len(sys.argv) > 1 else "."
for n in ("kiban-serve/src/test/resources/kiban/serve/ObservationsFuzzTestInputs/decodesAnyFrameOrNamesTheProblem",
          "kiban-client/src/test/resources/kiban/client/MsgpackNumpyFuzzTestInputs/decodesAnyMessageTheSameFromEitherBuffer"):
    os.makedirs(os.path.join(out, n), exist_ok=True)
    for k, v in seeds.items():
        open(os.path.join(out, n, "seed-" + k), "wb").write(v)
j = "kiban-serve/src/test/resources/kiban/serve/JsonInferFuzzTestInputs/parsesAnyBodyOrNamesTheProblem"
os.makedirs(os.path.join(out, j), exist_ok=True)
for k, v in {"history": {"observation.state": [[1, 2, 3], [4, 5.5, -6e-3]]},
             "one-row": {"observation.state": [1, 2, 3], "prompt": "push"},
             "extras": {"prompt": "x", "other": {"a": [1, {"b": None}], "c": True}, "observation.state": [[0, 0, 0], [1, 1, 1]]}}.items():
    open(os.path.join(out, j, "seed-" + k), "w").write(json.dumps(v))
