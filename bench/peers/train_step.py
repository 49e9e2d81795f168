#!/usr/bin/env python3
"""The peer of `kiban bench train`: the same policy networks, batch, loss, clipping, AdamW and EMA
as Kiban's TrainStep, timed in Python PyTorch. Prints one JSON object per policy.

Run by Kiban with Debian's python3-torch; usage:
  train_step.py --policy mlp|flow|diffusion|act --batch 256 --obs 12 --chunk 32 --hidden 512,512,512 --seconds 10
                [--head mlp|film]
  train_step.py --policy foundation --batch 128 --state-dim 6 --action-dim 2 --layers 4 ... --seconds 10
  train_step.py --policy flow --image-encoder cnn|resnet --image-size 96 --state-dim 2 --batch 64 ... --seconds 10

The mlp, FiLM and act networks are the very modules `kiban export` rebuilds Kiban's networks with
(kiban-policy's torchscript_export.py, imported from this checkout), fed as Kiban feeds them: with
--head film the input is [noisy chunk, observations, time features], which the module slices apart
as Kiban's FilmResidualMlp does. The act policy is Kiban's ActTransformer (pre-norm, GELU, no
dropout, attention written as Kiban's): one token per observation step plus a learned position
embedding, an encoder, and a decoder of one learned query per chunk step; L1 loss. The foundation
policy is Kiban's FoundationNetwork (foundation.py) on one embodiment's padded rows, as its trainer
feeds one embodiment's batch at a time: flow matching, masked MSE over the embodiment's own elements.
With --image-encoder the flow policy reads a camera (image_policy.py): each row is the state history
and the frame history as CHW values in [0, 1], copied in as Kiban copies its rows; the frames go
through the encoder once per step, forward and backward, and the output names the parameter count.

Each step copies its batch in from host tensors, as Kiban copies its batch from Java arrays.
torch 1.13's AdamW (foreach off by default) and clip_grad_norm_ loop over the parameters, as
PyTorch 2.x's also do on the CPU unless foreach or fused is asked for.
"""
import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
from torchscript_export import FilmResidualMlp, mlp  # noqa: E402  (the export's modules, not copies)
from network_args import act_network, add_network_arguments, hidden_widths  # noqa: E402  (shared with infer_step.py)
import foundation  # noqa: E402  (Kiban's foundation network, shared with infer_step.py)
import image_policy  # noqa: E402  (Kiban's flow image network, shared with infer_step.py)


TIME_FEATURES = 16


def time_features(t):
    freqs = torch.tensor([math.pi * 2 ** i for i in range(TIME_FEATURES // 2)], dtype=torch.float32)
    angles = t * freqs.reshape(1, -1)
    return torch.cat([angles.sin(), angles.cos()], dim=1)


def masked_l1(pred, target, mask):
    return ((pred - target).abs() * mask).sum() / mask.sum().clamp(min=1)


DIFFUSION_TIMESTEPS = 100


def squared_cosine_alphas_cumprod(timesteps):
    def alpha_bar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    betas = [min(1 - alpha_bar((i + 1) / timesteps) / alpha_bar(i / timesteps), 0.999) for i in range(timesteps)]
    return torch.cumprod(1 - torch.tensor(betas, dtype=torch.float64), 0).float()


alphas_cumprod = squared_cosine_alphas_cumprod(DIFFUSION_TIMESTEPS)


def masked_mse(pred, target, mask):
    return ((pred - target) ** 2 * mask).sum() / mask.sum().clamp(min=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--policy", default="mlp")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--head", default="mlp", choices=["mlp", "film"], help="the flow network's head")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--threads", type=int, default=2, help="intra-op threads; 0 keeps torch's default")
    p.add_argument("--warmup", type=int, default=20, help="untimed steps first")
    p.add_argument("--weight-decay", type=float, default=1e-6, help="AdamW's, as the policy's config sets it")
    add_network_arguments(p)
    foundation.add_foundation_arguments(p)
    image_policy.add_image_arguments(p)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    hidden = hidden_widths(a)
    flow = a.policy == "flow"
    diffusion = a.policy == "diffusion"
    act_policy = a.policy == "act"
    foundation_policy = a.policy == "foundation"
    images = flow and a.image_encoder != ""
    if images:
        net = image_policy.network(a)
        a.obs = net.inputs()
        a.chunk = net.chunk
    elif foundation_policy:
        net = foundation.network(a)
        # One embodiment's padded rows: its index (0), its states, word ids; its chunk (no padding to mask).
        a.obs = 1 + a.observation_steps * a.state_dim + a.max_tokens
        a.chunk = a.horizon * a.action_dim
    elif act_policy:
        net = act_network(a)
        # Kiban's initialisation of the learned embeddings (the export loads them instead).
        nn.init.normal_(net.token_position, std=0.02)
        nn.init.normal_(net.queries, std=0.02)
    elif flow and a.head == "film":
        net = FilmResidualMlp(a.chunk, a.obs + TIME_FEATURES, hidden[0], len(hidden), a.chunk)
    else:
        net = mlp(a.obs + (a.chunk + TIME_FEATURES if flow or diffusion else 0), hidden, a.chunk)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=a.weight_decay)
    ema = [q.detach().clone() for q in net.parameters()]
    host_obs = torch.rand(a.batch, a.obs) if images else torch.randn(a.batch, a.obs)
    if foundation_policy:
        host_obs[:, 0] = 0
        host_obs[:, a.obs - a.max_tokens:] = torch.randint(0, a.vocabulary + 1, (a.batch, a.max_tokens)).float()
    host_act = torch.randn(a.batch, a.chunk)
    host_mask = torch.ones(a.batch, a.chunk)

    def step(k):
        # Kiban copies each batch from Java arrays into native tensors; the peer copies its batch too.
        obs, act, mask = host_obs.clone(), host_act.clone(), host_mask.clone()
        if images:
            noise = torch.randn_like(act)
            t = torch.rand(a.batch, 1)
            xt = noise * (1 - t) + act * t
            loss = masked_mse(net.velocity(net.condition_rows(obs), xt, t), act - noise, mask)
        elif flow:
            noise = torch.randn_like(act)
            t = torch.rand(a.batch, 1)
            xt = noise * (1 - t) + act * t
            # Kiban's FlowNetwork puts the sample first for the FiLM head, the observations first for the MLP.
            pieces = [xt, obs] if a.head == "film" else [obs, xt]
            pred = net(torch.cat(pieces + [time_features(t)], dim=1))
            loss = masked_mse(pred, act - noise, mask)
        elif diffusion:
            noise = torch.randn_like(act)
            level = torch.randint(0, DIFFUSION_TIMESTEPS, (a.batch,))
            signal = alphas_cumprod[level].reshape(-1, 1)
            noisy = act * signal.sqrt() + noise * (1 - signal).sqrt()
            pred = net(torch.cat([obs, noisy, time_features(level.float().reshape(-1, 1) / DIFFUSION_TIMESTEPS)], dim=1))
            loss = masked_mse(pred, noise, mask)
        elif foundation_policy:
            states, tokens = net.split_rows(obs)
            target = act.reshape(a.batch, a.horizon, -1)[:, :, :a.action_dim].reshape(a.batch, -1)
            real = mask.reshape(a.batch, a.horizon, -1)[:, :, :a.action_dim].reshape(a.batch, -1)
            noise = torch.randn_like(target)
            t = torch.rand(a.batch, 1)
            xt = noise * (1 - t) + target * t
            loss = masked_mse(net.velocity(states, tokens, xt, t), target - noise, real)
        elif act_policy:
            loss = masked_l1(net(obs), act, mask)
        else:
            loss = masked_mse(net(obs), act, mask)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        decay = min(0.999, 1 - (1 + k) ** -0.75)
        with torch.no_grad():
            for e, q in zip(ema, net.parameters()):
                e.mul_(decay).add_(q, alpha=1 - decay)
        return loss.item()

    for k in range(a.warmup):
        step(k)
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < a.seconds:
        step(a.warmup + steps)
        steps += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"policy": a.policy, "steps": steps, "seconds": elapsed,
                      "ms_per_step": 1000 * elapsed / steps, "torch": torch.__version__,
                      "threads": torch.get_num_threads(),
                      "parameters": sum(q.numel() for q in net.parameters())}))


if __name__ == "__main__":
    main()
