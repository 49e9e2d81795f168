"""Kiban's foundation network (kiban-policy's FoundationTransformer and FoundationNetwork) in PyTorch,
for one embodiment, and the TorchScript policy `kiban export` makes of it.

Per embodiment a state encoder, an action encoder, an action decoder and an embodiment token; shared,
a word-token embedding, a flow-time encoder, learned positions and a pre-norm transformer trunk
(torchscript_export's EncoderLayer, Kiban's TransformerLayer: attention without dropout, GELU). A
sample's sequence is [embodiment token, one token per observation step, the instruction's tokens, for an
embodiment with cameras one token per camera and observation step (its CNN's features, torchscript_export's
ImageEncoder or ResNetEncoder, through a linear map, with positions of its own), one token per chunk row
plus the flow time]; the decoder reads the chunk rows' outputs as velocities.

The network is shared with the PyTorch peer of `kiban bench train|infer --policy foundation`
(bench/peers/foundation.py), so the benchmark and the export run the same module.
"""
import math
from typing import List, Optional

import torch
from torch import nn

from torchscript_export import EncoderLayer, KibanPolicy, image_encoders

TIME_FEATURES = 16


def time_frequencies():
    """FlowSampling.timeFrequencies: pi 2^i, as float32."""
    return torch.tensor([math.pi * 2 ** i for i in range(TIME_FEATURES // 2)], dtype=torch.float32)


def time_features(t):
    """FlowSampling.timeFeatures: sines then cosines of t times pi 2^i."""
    angles = t * time_frequencies().reshape(1, -1)
    return torch.cat([angles.sin(), angles.cos()], dim=1)


class FoundationNetwork(nn.Module):
    """One embodiment's foundation network; parameters named and ordered as Kiban's."""

    def __init__(self, state_dim, action_dim, observation_steps, horizon, model_dim, heads, layers, max_tokens,
                 vocabulary, cameras=None, image_encoder="cnn", image_feature_dim=0):
        super().__init__()
        d = model_dim
        cameras = cameras or []
        self.state_dim: int = state_dim
        self.action_dim: int = action_dim
        self.steps: int = observation_steps
        self.horizon: int = horizon
        self.max_tokens: int = max_tokens
        self.text_embedding = nn.Parameter(torch.randn(vocabulary + 1, d) * 0.02)
        self.time_in = nn.Linear(TIME_FEATURES, d)
        self.position = nn.Parameter(torch.randn(1 + observation_steps + max_tokens + horizon, d) * 0.02)
        self.trunk = nn.ModuleList([EncoderLayer(d, heads) for _ in range(layers)])
        self.out_norm = nn.LayerNorm(d)
        self.state_in = nn.Linear(state_dim, d)
        self.action_in = nn.Linear(action_dim, d)
        self.action_out = nn.Linear(d, action_dim)
        self.token = nn.Parameter(torch.randn(1, d) * 0.02)
        # Empty without cameras; lists, so that TorchScript sees one type either way.
        self.encoders = image_encoders({"images": cameras, "image_feature_dim": image_feature_dim,
                                        "image_encoder": image_encoder})
        self.image_in = nn.ModuleList([nn.Linear(image_feature_dim, d)] if cameras else [])
        self.image_position = nn.Parameter(torch.randn(observation_steps * len(cameras), d) * 0.02)
        self.register_buffer("frequencies", time_frequencies().reshape(1, -1))
        # Glorot uniform and zero biases, as Kiban's ParameterBlock initialises its dense layers.
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def kiban_parameters(self):
        """(name, parameter) in Kiban's order: the shared ones, then embodiment 0's heads."""
        def dense(name, m):
            return [(name + "_weight", m.weight), (name + "_bias", m.bias)]

        def norm(name, m):
            return [(name + "_gamma", m.weight), (name + "_beta", m.bias)]
        out = [("text_embedding", self.text_embedding)] + dense("time_in", self.time_in) + [("position", self.position)]
        for i, layer in enumerate(self.trunk):
            p = "trunk%d_" % i
            out += norm(p + "norm1", layer.norm1) + dense(p + "qkv", layer.qkv) + dense(p + "out", layer.out)
            out += norm(p + "norm2", layer.norm2) + dense(p + "ff1", layer.ff1) + dense(p + "ff2", layer.ff2)
        out += norm("out_norm", self.out_norm)
        out += dense("e0_state_in", self.state_in) + dense("e0_action_in", self.action_in)
        out += dense("e0_action_out", self.action_out) + [("e0_token", self.token)]
        for m in self.image_in:
            out += dense("e0_image_in", m) + [("e0_image_position", self.image_position)]
        # Kiban's camera CNNs are child blocks, listed after every parameter of its own.
        for i, encoder in enumerate(self.encoders):
            out += [("e0_camera%d_%s" % (i, n), p) for n, p in encoder.named_parameters()]
        return out

    def split_rows(self, rows):
        """The embodiment index (read on the host, as Kiban reads it), the states and the token ids of padded rows."""
        b = rows.size(0)
        e = int(round(rows[0, 0].item()))
        if e != 0:
            raise ValueError("embodiment index %d of 1" % e)
        max_state = (rows.size(1) - 1 - self.max_tokens) // self.steps
        padded = rows[:, 1:1 + self.steps * max_state].reshape(b, self.steps, max_state)
        states = padded[:, :, :self.state_dim].reshape(b, self.steps * self.state_dim)
        return states, rows[:, 1 + self.steps * max_state:]

    def image_tokens(self, pixels: List[torch.Tensor], b: int) -> torch.Tensor:
        """One token per camera and observation step (B, cameras * steps, d) from each camera's frames
        (B * steps, channels, height, width), values in [0, 1], oldest step first."""
        features = []
        for i, encoder in enumerate(self.encoders):
            features.append(encoder(pixels[i]).reshape(b, self.steps, -1))
        tokens = torch.cat(features, 1)
        for m in self.image_in:
            tokens = m(tokens)
        return tokens + self.image_position.unsqueeze(0)

    def velocity(self, states: torch.Tensor, token_ids: torch.Tensor, x: torch.Tensor, t: torch.Tensor,
                 image_tokens: Optional[torch.Tensor] = None) -> torch.Tensor:
        """The velocity (B, horizon * action_dim) at noisy chunks x and flow times t (B, 1) for encoded
        states (B, steps * state_dim), word ids (B, max_tokens) and, with cameras, image_tokens."""
        b = states.size(0)
        state_tokens = self.state_in(states.reshape(b, self.steps, self.state_dim))
        embodiment = self.token.unsqueeze(0).expand(b, 1, self.token.size(1))
        words = nn.functional.embedding(token_ids.long(), self.text_embedding)
        angles = t * self.frequencies
        time = self.time_in(torch.cat([angles.sin(), angles.cos()], 1)).unsqueeze(1)
        # Shared positions for the context and the chunk rows; image tokens carry their own, between them.
        n = 1 + self.steps + self.max_tokens
        parts = [torch.cat([embodiment, state_tokens, words], 1) + self.position[:n].unsqueeze(0)]
        if image_tokens is not None:
            parts.append(image_tokens)
        parts.append(self.action_in(x.reshape(b, self.horizon, self.action_dim)) + time + self.position[n:].unsqueeze(0))
        seq = torch.cat(parts, 1)
        for layer in self.trunk:
            seq = layer(seq)
        out = self.out_norm(seq[:, seq.size(1) - self.horizon:])
        return self.action_out(out).reshape(b, self.horizon * self.action_dim)

    def sample(self, rows, flow_steps):
        """FlowSampling.sample without inpainting: Euler steps from standard normal noise."""
        states, tokens = self.split_rows(rows)
        b = rows.size(0)
        x = torch.randn(b, self.horizon * self.action_dim)
        dt = 1.0 / flow_steps
        for i in range(flow_steps):
            t = torch.full((b, 1), i * dt)
            x = x + self.velocity(states, tokens, x, t) * dt
        return x


class FoundationPolicy(KibanPolicy):
    """One embodiment of a Kiban foundation policy: physical observations and an instruction's word ids
    in, a physical action chunk out.

    forward(obs, noise=None, tokens=None, images=None): obs is (batch, observation_steps, observation_dim),
    oldest first; noise (batch, horizon * action_dim) standard normal, else torch.randn from PyTorch's global
    generator; tokens (batch, max_tokens) int64, the instruction's word ids as Kiban's hashed word
    tokenizer gives them (policy.json's instructions), else no words; for an embodiment with cameras,
    images: one uint8 tensor per camera in policy.json's order, each (batch, observation_steps, height,
    width, channels), the RGB frames as recorded, oldest first.
    """

    def __init__(self, spec, net):
        super().__init__(spec, net, nn.ModuleList())
        self.max_tokens: int = spec["foundation"]["max_tokens"]

    def forward(self, obs: torch.Tensor, noise: Optional[torch.Tensor] = None,
                tokens: Optional[torch.Tensor] = None, images: Optional[List[torch.Tensor]] = None) -> torch.Tensor:
        if obs.dim() != 3 or obs.size(1) != self.observation_steps or obs.size(2) != self.observation_dim:
            raise ValueError("observations must have shape (batch, " + str(self.observation_steps) + ", "
                             + str(self.observation_dim) + "), got " + str(obs.shape))
        b = obs.size(0)
        states = self.encode(obs.to(torch.float32)).reshape(b, -1)
        if tokens is None:
            ids = torch.zeros([b, self.max_tokens], dtype=torch.long)
        else:
            if tokens.dim() != 2 or tokens.size(0) != b or tokens.size(1) != self.max_tokens:
                raise ValueError("tokens must have shape (" + str(b) + ", " + str(self.max_tokens) + "), got "
                                 + str(tokens.shape))
            ids = tokens.to(torch.long)
        if noise is None:
            y = torch.randn([b, self.chunk], dtype=torch.float32)
        else:
            y = noise.to(torch.float32).reshape(b, self.chunk)
        # The cameras' tokens once a chunk, as Kiban makes its context once, not once an Euler step.
        seen: Optional[torch.Tensor] = None
        if len(self.camera_names) > 0:
            seen = self.net.image_tokens(self.camera_pixels(images, b), b)
        for i in range(self.flow_steps):
            y = y + self.net.velocity(states, ids, y, self.flow_times[i].expand(b, 1), seen) * self.step_size
        return y.reshape(b, self.horizon, self.action_dim) * self.action_scale + self.action_offset


def network(spec):
    """The embodiment's network of a `kiban export` spec, and its parameters in Kiban's order."""
    f = spec["foundation"]
    net = FoundationNetwork(f["state_dim"], spec["action_dim"], spec["observation_steps"], spec["horizon"],
                            f["model_dim"], f["heads"], f["layers"], f["max_tokens"], f["vocabulary"],
                            spec.get("images", []), spec.get("image_encoder", "cnn"), spec.get("image_feature_dim", 0))
    return net, [p for _, p in net.kiban_parameters()]
