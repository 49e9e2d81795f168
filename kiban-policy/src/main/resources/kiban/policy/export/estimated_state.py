"""Kiban's estimated-state policy in TorchScript (kiban.policy.estimate.EstimatedStatePolicy).

An estimator reads some state features from the camera and its readings replace them in the state
before the state policy answers: each of the state policy's observations is estimated from the
frames up to it, so the module reads (estimator steps + state policy steps - 1) observations.
"""
import math
from typing import List, Optional

import torch
from torch import nn


class EstimatedStatePolicy(nn.Module):
    """forward(obs, noise=None, images=None) as a Kiban policy's export: obs (batch, observation_steps,
    observation_dim) in physical units, oldest first, whose estimated features are never read; images
    one uint8 tensor per camera, (batch, observation_steps, height, width, channels); noise as the state
    policy's."""

    def __init__(self, spec, estimator: nn.Module, state: nn.Module):
        super().__init__()
        self.estimator = estimator
        self.state = state
        self.window: int = estimator.observation_steps
        self.state_steps: int = state.observation_steps
        self.observation_steps: int = spec["observation_steps"]
        self.observation_dim: int = spec["encoding"]["observation_dim"]
        self.cameras: int = len(spec["images"])
        plain_state, plain_target, plain_reference, plain_relative = [], [], [], []
        angle_state, angle_cos, angle_sin, angle_folds, angle_low = [], [], [], [], []
        angle_reference, angle_relative = [], []
        for f in spec["estimated"]:
            for k in range(f["size"]):
                if f["folds"] == 0:
                    plain_state.append(f["offset"] + k)
                    plain_target.append(f["target"] + k)
                    # A reading relative to a measured feature gets that feature added back (0 for none).
                    reference = f.get("reference", -1)
                    plain_reference.append(reference + k if reference >= 0 else 0)
                    plain_relative.append(1.0 if reference >= 0 else 0.0)
                else:
                    # Regressed as the cosines, then the sines, of folds times the angle.
                    angle_state.append(f["offset"] + k)
                    angle_cos.append(f["target"] + k)
                    angle_sin.append(f["target"] + f["size"] + k)
                    angle_folds.append(float(f["folds"]))
                    angle_low.append(f["low"][k])
                    reference = f.get("reference", -1)
                    angle_reference.append(reference + k if reference >= 0 else 0)
                    angle_relative.append(1.0 if reference >= 0 else 0.0)

        def i64(v):
            return torch.tensor(v, dtype=torch.long)

        self.register_buffer("plain_state", i64(plain_state))
        self.register_buffer("plain_target", i64(plain_target))
        self.register_buffer("plain_reference", i64(plain_reference))
        self.register_buffer("plain_relative", torch.tensor(plain_relative, dtype=torch.float32))
        self.register_buffer("angle_state", i64(angle_state))
        self.register_buffer("angle_cos", i64(angle_cos))
        self.register_buffer("angle_sin", i64(angle_sin))
        self.register_buffer("angle_folds", torch.tensor(angle_folds, dtype=torch.float32))
        self.register_buffer("angle_low", torch.tensor(angle_low, dtype=torch.float32))
        self.register_buffer("angle_reference", i64(angle_reference))
        self.register_buffer("angle_relative", torch.tensor(angle_relative, dtype=torch.float32))

    def forward(self, obs: torch.Tensor, noise: Optional[torch.Tensor] = None,
                images: Optional[List[torch.Tensor]] = None) -> torch.Tensor:
        if obs.dim() != 3 or obs.size(1) != self.observation_steps or obs.size(2) != self.observation_dim:
            raise ValueError("observations must have shape (batch, " + str(self.observation_steps) + ", "
                             + str(self.observation_dim) + "), got " + str(obs.shape))
        if images is None or len(images) != self.cameras:
            raise ValueError("this policy reads " + str(self.cameras) + " cameras: pass images, one uint8 tensor (batch, "
                             + str(self.observation_steps) + ", height, width, channels) per camera")
        b = obs.size(0)
        obs = obs.to(torch.float32)
        # Every window of the history in one estimator pass, window j of every row together.
        windows: List[torch.Tensor] = []
        for j in range(self.state_steps):
            windows.append(obs[:, j:j + self.window])
        window_obs = torch.cat(windows, 0)
        window_frames: List[torch.Tensor] = []
        for frames in images:
            if frames.dim() != 5 or frames.size(0) != b or frames.size(1) != self.observation_steps:
                raise ValueError("each camera's images must have shape (" + str(b) + ", " + str(self.observation_steps)
                                 + ", height, width, channels), got " + str(frames.shape))
            per: List[torch.Tensor] = []
            for j in range(self.state_steps):
                per.append(frames[:, j:j + self.window])
            window_frames.append(torch.cat(per, 0))
        read = self.estimator(window_obs, None, window_frames)[:, 0, :]
        newest = window_obs[:, self.window - 1, :].clone()
        plain = read.index_select(1, self.plain_target) + self.plain_relative * newest.index_select(1, self.plain_reference)
        newest.index_copy_(1, self.plain_state, plain)
        period = 2.0 * math.pi / self.angle_folds
        angle = torch.atan2(read.index_select(1, self.angle_sin), read.index_select(1, self.angle_cos)) / self.angle_folds
        angle = angle + self.angle_relative * newest.index_select(1, self.angle_reference)
        a = angle - self.angle_low
        a = a - period * torch.floor(a / period)
        a = torch.where(a >= period, torch.zeros_like(a), a)
        newest.index_copy_(1, self.angle_state, self.angle_low + a)
        state_obs = newest.reshape(self.state_steps, b, self.observation_dim).transpose(0, 1)
        return self.state(state_obs, noise, None)
