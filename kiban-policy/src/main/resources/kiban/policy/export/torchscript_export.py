#!/usr/bin/env python3
"""Builds the TorchScript module of a Kiban policy; `kiban export` runs it with python3-torch.

Usage: torchscript_export.py STAGE_DIR OUT_FILE
STAGE_DIR holds spec.json (architecture, feature encoding, normalisation, flow schedule, the
parameter list) and weights.bin (the parameters as little-endian float32, in spec order), both
written by Kiban. The module rebuilds Kiban's network (Linear, LayerNorm, GELU per hidden width,
then Linear; for flow_head "film" Kiban's FilmResidualMlp; for act Kiban's ActTransformer), its
feature encoding and normalisation, and for flow policies the Euler integration, for diffusion
policies the DDIM sampling, and for policies that read cameras Kiban's CNN image encoders. So it
maps physical observations (batch, observation_steps, observation_dim), with the cameras' uint8
frames where it reads them, to physical actions (batch, horizon, action_dim) with no other file.
A spec with "foundation" is one embodiment of a foundation policy: foundation_network.py (copied
beside this script) rebuilds it, and its module reads the instruction's word ids, then any cameras' frames.
"""
import json
import math
import sys
from array import array
from pathlib import Path
from typing import List, Optional

try:
    import torch
    from torch import nn
except ImportError as e:  # the Java side turns exit status 3 into an install hint
    sys.stderr.write("kiban export: this Python has no PyTorch (%s)\n" % e)
    sys.exit(3)


def mlp(inputs, hidden, outputs):
    layers = []
    width = inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.LayerNorm(h), nn.GELU()]
        width = h
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


class FilmBlock(nn.Module):
    """h + linear2(gelu(linear1(norm(h)) * (1 + scale) + shift)), (scale, shift) = film(embedding)."""

    def __init__(self, width):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.linear1 = nn.Linear(width, width)
        self.film = nn.Linear(width, 2 * width)
        self.linear2 = nn.Linear(width, width)

    def forward(self, h: torch.Tensor, embedding: torch.Tensor) -> torch.Tensor:
        scale, shift = self.film(embedding).chunk(2, 1)
        y = self.linear1(self.norm(h)) * (scale + 1.0) + shift
        return h + self.linear2(nn.functional.gelu(y))


class FilmResidualMlp(nn.Module):
    """Kiban's FilmResidualMlp: input (sample, condition) concatenated; parameters in Kiban's order."""

    def __init__(self, sample, condition, width, depth, outputs):
        super().__init__()
        self.sample: int = sample
        self.sample_in = nn.Linear(sample, width)
        self.condition_in = nn.Linear(condition, width)
        self.blocks = nn.ModuleList([FilmBlock(width) for _ in range(depth)])
        self.out_norm = nn.LayerNorm(width)
        self.out = nn.Linear(width, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        embedding = nn.functional.gelu(self.condition_in(x[:, self.sample:]))
        h = self.sample_in(x[:, :self.sample])
        for block in self.blocks:
            h = block(h, embedding)
        return self.out(nn.functional.gelu(self.out_norm(h)))


class ImageEncoder(nn.Module):
    """Kiban's ImageEncoder: four 3x3 ReLU convolutions (strides 2, 2, 1, 1), a spatial softmax, a linear map."""

    def __init__(self, channels, features):
        super().__init__()
        widths, strides = [16, 32, 32, 32], [2, 2, 1, 1]
        convs = []
        for w, s in zip(widths, strides):
            convs.append(nn.Conv2d(channels, w, 3, stride=s, padding=1))
            channels = w
        self.convs = nn.ModuleList(convs)
        self.keypoints_out = nn.Linear(2 * channels, features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = torch.relu(conv(x))
        b, c, h, w = x.size(0), x.size(1), x.size(2), x.size(3)
        weights = torch.softmax(x.reshape(b, c, h * w), -1)
        # Each channel's softmax-weighted mean position in [-1, 1], x then y, as Kiban computes the grid.
        xs = torch.arange(w, dtype=torch.float32) * 2.0 / (w - 1) - 1.0 if w > 1 else torch.zeros(w)
        ys = torch.arange(h, dtype=torch.float32) * 2.0 / (h - 1) - 1.0 if h > 1 else torch.zeros(h)
        grid = torch.stack([xs.repeat(h), ys.repeat_interleave(w)], 1)
        keypoints = torch.matmul(weights, grid).permute(0, 2, 1).reshape(b, 2 * c)
        return self.keypoints_out(keypoints)


def spatial_softmax(x: torch.Tensor) -> torch.Tensor:
    """Each channel's softmax-weighted mean position in [-1, 1], x then y, as Kiban computes the grid."""
    b, c, h, w = x.size(0), x.size(1), x.size(2), x.size(3)
    weights = torch.softmax(x.reshape(b, c, h * w), -1)
    xs = torch.arange(w, dtype=torch.float32) * 2.0 / (w - 1) - 1.0 if w > 1 else torch.zeros(w)
    ys = torch.arange(h, dtype=torch.float32) * 2.0 / (h - 1) - 1.0 if h > 1 else torch.zeros(h)
    grid = torch.stack([xs.repeat(h), ys.repeat_interleave(w)], 1)
    return torch.matmul(weights, grid).permute(0, 2, 1).reshape(b, 2 * c)


class ResidualStage(nn.Module):
    """One stage of Kiban's ResNetEncoder: two 3x3 convolutions with GroupNorm and a 1x1 projected shortcut."""

    def __init__(self, channels, width, stride):
        super().__init__()
        groups = max(1, width // 8)
        self.conv1 = nn.Conv2d(channels, width, 3, stride=stride, padding=1)
        self.norm1 = nn.GroupNorm(groups, width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, width)
        self.shortcut = nn.Conv2d(channels, width, 1, stride=stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.norm1(self.conv1(x)))
        return torch.relu(self.norm2(self.conv2(h)) + self.shortcut(x))


class ResNetEncoder(nn.Module):
    """Kiban's ResNetEncoder: a stem, residual stages of 16, 32 and 64 channels with GroupNorm, 32 keypoints, a linear map."""

    def __init__(self, channels, height, width, features):
        super().__init__()
        side = min(height, width)
        stride = 2 if side >= 16 else 1
        side = (side + stride - 1) // stride
        self.stem = nn.Conv2d(channels, 16, 3, stride=stride, padding=1)
        self.stem_norm = nn.GroupNorm(2, 16)
        stages = []
        channels = 16
        for w in [16, 32, 64]:
            stride = 2 if side >= 16 else 1
            side = (side + stride - 1) // stride
            stages.append(ResidualStage(channels, w, stride))
            channels = w
        self.stages = nn.ModuleList(stages)
        self.keypoints = nn.Conv2d(channels, 32, 1)
        self.keypoints_out = nn.Linear(64, features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem_norm(self.stem(x)))
        for stage in self.stages:
            x = stage(x)
        return self.keypoints_out(spatial_softmax(self.keypoints(x)))


def image_encoders(spec):
    """One encoder per camera, or one module repeated where the cameras share it (its parameters listed once)."""
    cameras = spec.get("images", [])
    features = spec.get("image_feature_dim", 0)

    def create(c):
        if spec.get("image_encoder", "cnn") == "resnet":
            return ResNetEncoder(c["channels"], c["height"], c["width"], features)
        return ImageEncoder(c["channels"], features)

    if cameras and spec.get("shared_image_encoder", False):
        shared = create(cameras[0])
        return nn.ModuleList([shared for _ in cameras])
    return nn.ModuleList([create(c) for c in cameras])


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, heads: int) -> torch.Tensor:
    """Kiban's Attention.attend: multi-head scaled dot-product attention before the output projection."""
    b, tq, d = q.size(0), q.size(1), q.size(2)
    tk = k.size(1)
    dh = d // heads
    qh = (q * (1.0 / math.sqrt(dh))).reshape(b, tq, heads, dh).permute(0, 2, 1, 3)
    kt = k.reshape(b, tk, heads, dh).permute(0, 2, 3, 1)
    vh = v.reshape(b, tk, heads, dh).permute(0, 2, 1, 3)
    weights = torch.softmax(torch.matmul(qh, kt), -1)
    return torch.matmul(weights, vh).permute(0, 2, 1, 3).reshape(b, tq, d)


class EncoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads: int = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, 4 * d)
        self.ff2 = nn.Linear(4 * d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self.qkv(self.norm1(x)).chunk(3, 2)
        x = x + self.out(attend(q, k, v, self.heads))
        return x + self.ff2(nn.functional.gelu(self.ff1(self.norm2(x))))


class DecoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads: int = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.self_out = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.cross_out = nn.Linear(d, d)
        self.norm3 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, 4 * d)
        self.ff2 = nn.Linear(4 * d, d)

    def forward(self, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        q, k, v = self.qkv(self.norm1(x)).chunk(3, 2)
        x = x + self.self_out(attend(q, k, v, self.heads))
        k, v = self.kv(memory).chunk(2, 2)
        x = x + self.cross_out(attend(self.q(self.norm2(x)), k, v, self.heads))
        return x + self.ff2(nn.functional.gelu(self.ff1(self.norm3(x))))


class ActTransformer(nn.Module):
    """Kiban's ActTransformer: a token per observation step, a pre-norm encoder, learned queries, a decoder."""

    def __init__(self, steps, step_inputs, horizon, action_dim, d, heads, encoder_layers, decoder_layers):
        super().__init__()
        self.steps: int = steps
        self.step_inputs: int = step_inputs
        self.horizon: int = horizon
        self.outputs: int = horizon * action_dim
        self.token_in = nn.Linear(step_inputs, d)
        self.token_position = nn.Parameter(torch.zeros(steps, d))
        self.encoder = nn.ModuleList([EncoderLayer(d, heads) for _ in range(encoder_layers)])
        self.encoder_norm = nn.LayerNorm(d)
        self.queries = nn.Parameter(torch.zeros(horizon, d))
        self.decoder = nn.ModuleList([DecoderLayer(d, heads) for _ in range(decoder_layers)])
        self.decoder_norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, action_dim)

    def kiban_parameters(self):
        """The parameters in Kiban's order (PyTorch lists a module's own parameters before its children's)."""
        ordered = list(self.token_in.parameters()) + [self.token_position]
        for layer in self.encoder:
            ordered += list(layer.parameters())
        ordered += list(self.encoder_norm.parameters()) + [self.queries]
        for layer in self.decoder:
            ordered += list(layer.parameters())
        return ordered + list(self.decoder_norm.parameters()) + list(self.head.parameters())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = x.size(0)
        x = self.token_in(x.reshape(b, self.steps, self.step_inputs)) + self.token_position
        for layer in self.encoder:
            x = layer(x)
        memory = self.encoder_norm(x)
        q = torch.zeros(b, self.horizon, self.queries.size(1)) + self.queries.unsqueeze(0)
        for layer in self.decoder:
            q = layer(q, memory)
        return self.head(self.decoder_norm(q)).reshape(b, self.outputs)


class KibanPolicy(nn.Module):
    """A Kiban mlp, act, flow or diffusion policy: physical observations in, physical action chunk out.

    forward(obs, noise=None, images=None): obs is (batch, observation_steps, observation_dim), oldest
    first. A flow or diffusion policy starts sampling from `noise` (batch, horizon * action_dim,
    standard normal) when given, else from torch.randn drawn from PyTorch's global generator; a flow
    policy scales it by the run's flow_noise_scale. mlp and act policies ignore it. A policy that
    reads cameras takes `images`, one uint8 tensor per camera in the run's order, each (batch,
    observation_steps, height, width, channels): the RGB frames as recorded, oldest first.
    """

    # Declared here: TorchScript cannot infer the element type of an empty list (a state-only policy's).
    camera_names: List[str]
    camera_shapes: List[List[int]]
    camera_crops: List[List[int]]

    def __init__(self, spec, net, encoders):
        super().__init__()
        enc = spec["encoding"]
        cameras = spec.get("images", [])
        self.encoders = encoders
        self.camera_names = [c["name"] for c in cameras]
        # Per camera: (height, width, channels), the layout of its frames.
        self.camera_shapes = [[c["height"], c["width"], c["channels"]] for c in cameras]
        # Per camera: (top, left, height, width) of the centre crop a policy trained on crops reads.
        self.camera_crops = [c.get("crop", [0, 0, c["height"], c["width"]]) for c in cameras]
        flow = spec.get("flow")
        diffusion = spec.get("diffusion")
        self.net = net
        self.observation_steps: int = spec["observation_steps"]
        self.observation_dim: int = enc["observation_dim"]
        self.horizon: int = spec["horizon"]
        self.action_dim: int = spec["action_dim"]
        self.chunk: int = self.horizon * self.action_dim
        self.sampler: str = "flow" if flow else "diffusion" if diffusion else "direct"
        self.flow_steps: int = flow["steps"] if flow else 0
        self.noise_scale: float = float(flow["noise_scale"]) if flow else 1.0
        self.film: bool = is_film(spec)
        self.clip: bool = bool(diffusion) and bool(diffusion["clip"])
        sampled = flow or diffusion

        def f32(v):
            return torch.tensor(v, dtype=torch.float32)

        def i64(v):
            return torch.tensor(v, dtype=torch.long)

        self.register_buffer("offset", f32(enc["offset"]))
        self.register_buffer("scale", f32(enc["scale"]))
        self.register_buffer("select", i64(enc["select"]))
        self.register_buffer("rel_position", i64(enc["rel_position"]))
        self.register_buffer("rel_angle", i64(enc["rel_angle"]))
        self.register_buffer("rel_other", i64(enc["rel_other"]))
        self.register_buffer("rel_scale", f32(enc["rel_scale"]))
        self.register_buffer("action_scale", f32(enc["action_scale"]))
        self.register_buffer("action_offset", f32(enc["action_offset"]))
        self.register_buffer("flow_times", f32(flow["times"] if flow else []))
        self.register_buffer("time_frequencies", f32([sampled["time_frequencies"]] if sampled else [[]]))
        self.register_buffer("step_size", f32(flow["step_size"] if flow else 0.0))
        # Per DDIM step: [time, noise weight, signal weight, previous signal weight, previous noise weight].
        self.register_buffer("diffusion_steps", f32(diffusion["steps"] if diffusion else [[0.0] * 5]))

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Kiban's FeatureCodec: normalised values, sin/cos of angles, pose-relative positions."""
        angle = x.index_select(-1, self.rel_angle)
        c = torch.cos(angle)
        s = torch.sin(angle)
        dx = x.index_select(-1, self.rel_other) - x.index_select(-1, self.rel_position)
        dy = x.index_select(-1, self.rel_other + 1) - x.index_select(-1, self.rel_position + 1)
        rx = (c * dx + s * dy) / self.rel_scale
        ry = (-s * dx + c * dy) / self.rel_scale
        rel = torch.stack([rx, ry], -1).flatten(-2)
        candidates = torch.cat([(x - self.offset) * self.scale, torch.sin(x), torch.cos(x), rel], -1)
        return candidates.index_select(-1, self.select)

    def time_features(self, t: torch.Tensor) -> torch.Tensor:
        angles = t * self.time_frequencies
        return torch.cat([torch.sin(angles), torch.cos(angles)], 1)

    def camera_pixels(self, images: Optional[List[torch.Tensor]], b: int) -> List[torch.Tensor]:
        """Each camera's frames, checked and centre-cropped, as Kiban's ImagePixels gives them: CHW values
        in [0, 1], (b * observation_steps, channels, height, width)."""
        if images is None or len(images) != len(self.camera_names):
            raise ValueError("this policy reads the cameras " + str(self.camera_names) + ": pass images, one uint8"
                             + " tensor (batch, observation_steps, height, width, channels) per camera in that order")
        out = []
        for i in range(len(self.camera_names)):
            h, w, c = self.camera_shapes[i][0], self.camera_shapes[i][1], self.camera_shapes[i][2]
            frames = images[i]
            if frames.dim() != 5 or frames.size(0) != b or frames.size(1) != self.observation_steps \
                    or frames.size(2) != h or frames.size(3) != w or frames.size(4) != c:
                raise ValueError("images[" + str(i) + "] (" + self.camera_names[i] + ") must have shape ("
                                 + str(b) + ", " + str(self.observation_steps) + ", " + str(h) + ", " + str(w) + ", "
                                 + str(c) + "), got " + str(frames.shape))
            top, left = self.camera_crops[i][0], self.camera_crops[i][1]
            h, w = self.camera_crops[i][2], self.camera_crops[i][3]
            frames = frames[:, :, top:top + h, left:left + w, :]
            out.append((frames.to(torch.float32) / 255.0).permute(0, 1, 4, 2, 3).reshape(b * self.observation_steps, c, h, w))
        return out

    def condition(self, obs: torch.Tensor, images: Optional[List[torch.Tensor]]) -> torch.Tensor:
        """Kiban's conditioning: per step the encoded state, then each camera's image features."""
        b = obs.size(0)
        features = self.encode(obs.to(torch.float32))
        if len(self.camera_names) == 0:
            return features.reshape(b, -1)
        pixels = self.camera_pixels(images, b)
        parts = [features]
        for i, encoder in enumerate(self.encoders):
            parts.append(encoder(pixels[i]).reshape(b, self.observation_steps, -1))
        return torch.cat(parts, 2).reshape(b, -1)

    def forward(self, obs: torch.Tensor, noise: Optional[torch.Tensor] = None,
                images: Optional[List[torch.Tensor]] = None) -> torch.Tensor:
        if obs.dim() != 3 or obs.size(1) != self.observation_steps or obs.size(2) != self.observation_dim:
            raise ValueError("observations must have shape (batch, " + str(self.observation_steps) + ", "
                             + str(self.observation_dim) + "), got " + str(obs.shape))
        b = obs.size(0)
        features = self.condition(obs, images)
        if self.sampler == "direct":
            y = self.net(features)
        else:
            if noise is None:
                y = torch.randn([b, self.chunk], dtype=torch.float32)
            else:
                y = noise.to(torch.float32).reshape(b, self.chunk)
            if self.sampler == "flow":
                y = self.integrate_flow(features, y)
            else:
                y = self.denoise(features, y)
        return y.reshape(b, self.horizon, self.action_dim) * self.action_scale + self.action_offset

    def integrate_flow(self, features: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        b = features.size(0)
        if self.noise_scale != 1.0:
            y = y * self.noise_scale
        for i in range(self.flow_steps):
            time = self.time_features(self.flow_times[i].expand(b, 1))
            if self.film:  # the FiLM head reads the sample first
                v = self.net(torch.cat([y, features, time], 1))
            else:
                v = self.net(torch.cat([features, y, time], 1))
            y = y + v * self.step_size
        return y

    def denoise(self, features: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Kiban's DiffusionNetwork.predict: deterministic DDIM over the exported schedule."""
        b = features.size(0)
        for i in range(self.diffusion_steps.size(0)):
            step = self.diffusion_steps[i]
            eps = self.net(torch.cat([features, y, self.time_features(step[0].expand(b, 1))], 1))
            clean = (y - eps * step[1]) / step[2]
            if self.clip:
                clean = clean.clamp(-1.0, 1.0)
                eps = (y - clean * step[2]) / step[1]
            y = clean * step[3] + eps * step[4]
        return y


def is_film(spec):
    flow = spec.get("flow")
    return bool(flow) and flow.get("head", "mlp") == "film"


def network(spec):
    """Kiban's network for the spec's policy: its camera encoders, its head, and all their parameters in Kiban's order."""
    cameras = spec.get("images", [])
    encoders = image_encoders(spec)
    # One step's conditioning: the encoded state, then each camera's features.
    step_inputs = len(spec["encoding"]["select"]) + len(cameras) * spec.get("image_feature_dim", 0)
    chunk = spec["horizon"] * spec["action_dim"]
    inputs = spec["observation_steps"] * step_inputs
    act = spec.get("act")
    sampled = spec.get("flow") or spec.get("diffusion")
    if act:
        net = ActTransformer(spec["observation_steps"], step_inputs, spec["horizon"], spec["action_dim"],
                             act["model_dim"], act["heads"], act["encoder_layers"], act["decoder_layers"])
        head = net.kiban_parameters()
    elif is_film(spec):
        condition = inputs + 2 * len(sampled["time_frequencies"])
        net = FilmResidualMlp(chunk, condition, spec["hidden"][0], len(spec["hidden"]), chunk)
        head = list(net.parameters())
    else:
        if sampled:
            inputs += chunk + 2 * len(sampled["time_frequencies"])
        net = mlp(inputs, spec["hidden"], chunk)
        head = list(net.parameters())
    return net, encoders, list(encoders.parameters()) + head


def load_weights(params, spec, path):
    values = array("f")
    values.frombytes(path.read_bytes())
    if sys.byteorder != "little":
        values.byteswap()
    flat = torch.frombuffer(values, dtype=torch.float32)
    listed = spec["weights"]
    if len(params) != len(listed):
        raise SystemExit("kiban export: spec lists %d parameters, the network has %d" % (len(listed), len(params)))
    at = 0
    with torch.no_grad():
        for p, w in zip(params, listed):
            if list(p.shape) != w["shape"]:
                raise SystemExit("kiban export: parameter %s has shape %s, the network expects %s"
                                 % (w["name"], w["shape"], list(p.shape)))
            n = p.numel()
            p.copy_(flat[at:at + n].reshape(p.shape))
            at += n
    if at != flat.numel():
        raise SystemExit("kiban export: weights.bin holds %d values, the parameters %d" % (flat.numel(), at))


def main():
    stage, out = Path(sys.argv[1]), Path(sys.argv[2])
    spec = json.loads((stage / "spec.json").read_text())
    chunk = spec["horizon"] * spec["action_dim"]
    steps = spec["observation_steps"]
    probe = torch.zeros(1, steps, spec["encoding"]["observation_dim"])
    if "foundation" in spec:
        # One embodiment of a foundation policy; its third input is the instruction's word ids, its fourth
        # the cameras' frames where the embodiment has any.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import foundation_network
        net, params = foundation_network.network(spec)
        load_weights(params, spec, stage / "weights.bin")
        module = torch.jit.script(foundation_network.FoundationPolicy(spec, net).eval())
        inputs = [torch.zeros(1, spec["foundation"]["max_tokens"], dtype=torch.long)]
        if spec.get("images"):
            inputs.append([torch.zeros(1, steps, c["height"], c["width"], c["channels"], dtype=torch.uint8)
                           for c in spec["images"]])
    elif "estimated" in spec:
        # An estimated-state run: the estimator and the state policy, each staged as an export of its own.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import estimated_state
        parts = []
        for name in ("estimator", "state-policy"):
            part = json.loads((stage / name / "spec.json").read_text())
            net, encoders, params = network(part)
            load_weights(params, part, stage / name / "weights.bin")
            parts.append(KibanPolicy(part, net, encoders))
        module = torch.jit.script(estimated_state.EstimatedStatePolicy(spec, parts[0], parts[1]).eval())
        inputs = [[torch.zeros(1, steps, c["height"], c["width"], c["channels"], dtype=torch.uint8)
                   for c in spec["images"]]]
    else:
        net, encoders, params = network(spec)
        load_weights(params, spec, stage / "weights.bin")
        module = torch.jit.script(KibanPolicy(spec, net, encoders).eval())
        inputs = [[torch.zeros(1, steps, c["height"], c["width"], c["channels"], dtype=torch.uint8)
                   for c in spec.get("images", [])]]
    if module(probe, torch.zeros(1, chunk), *inputs).shape != (1, spec["horizon"], spec["action_dim"]):
        raise SystemExit("kiban export: the scripted module returned the wrong shape")
    torch.jit.save(module, str(out))
    print(json.dumps({"torch": torch.__version__}))


if __name__ == "__main__":
    main()
