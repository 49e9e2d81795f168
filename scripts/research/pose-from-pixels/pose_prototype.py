"""Research aid, not shipped: how precisely does a small CNN read PushT's block pose from the 96x96 frame?

Trains for MINUTES on the frames DumpFrames.java wrote from one dataset and reports the error on
another's (held-out episodes): per-axis RMS and median of the position error in canvas units, RMS
and median of the angle error in degrees. The network is Diffusion Policy's recipe scaled down:
residual-free GroupNorm conv stages, spatial-softmax keypoints, an MLP to (x, y, cos, sin).

usage: pose_prototype.py TRAIN_DIR HELD_OUT_DIR MINUTES
"""
import sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
np.random.seed(0)


def load(d):
    states = np.fromfile(d + '/states.f32', dtype='>f4').astype(np.float32).reshape(-1, 5)
    frames = np.fromfile(d + '/frames.u8', dtype=np.uint8).reshape(-1, 96, 96, 3)
    return frames, states


def targets(s):  # state: agent x, y, block x, y, angle; the block's position scaled to about [-1, 1]
    return np.stack([(s[:, 2] - 256) / 256, (s[:, 3] - 256) / 256, np.cos(s[:, 4]), np.sin(s[:, 4])], 1).astype(np.float32)


class SpatialSoftmax(nn.Module):
    def forward(self, x):
        b, c, h, w = x.shape
        p = F.softmax(x.flatten(2), -1).view(b, c, h, w)
        ys, xs = torch.linspace(-1, 1, h), torch.linspace(-1, 1, w)
        return torch.cat([(p.sum(3) * ys).sum(2), (p.sum(2) * xs).sum(2)], 1)


def stage(i, o, stride):
    return nn.Sequential(nn.Conv2d(i, o, 3, stride, 1), nn.GroupNorm(o // 8, o), nn.ReLU(),
                         nn.Conv2d(o, o, 3, 1, 1), nn.GroupNorm(o // 8, o), nn.ReLU())


def main():
    train_frames, train_states = load(sys.argv[1])
    test_frames, test_states = load(sys.argv[2])
    minutes = float(sys.argv[3])
    train_t, test_t = targets(train_states), targets(test_states)
    net = nn.Sequential(stage(3, 16, 2), stage(16, 32, 2), stage(32, 64, 1), nn.Conv2d(64, 32, 1), SpatialSoftmax(),
                        nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 4))
    print('parameters', sum(p.numel() for p in net.parameters()))
    opt = torch.optim.AdamW(net.parameters(), 1e-3, weight_decay=1e-6)

    def pixels(frames, idx):
        return torch.from_numpy(frames[idx]).permute(0, 3, 1, 2).float() / 255

    def held_out():
        net.eval()
        with torch.no_grad():
            p = torch.cat([net(pixels(test_frames, np.arange(i, min(i + 256, len(test_frames)))))
                           for i in range(0, len(test_frames), 256)]).numpy()
        net.train()
        dx, dy = (p[:, 0] - test_t[:, 0]) * 256, (p[:, 1] - test_t[:, 1]) * 256
        angle = np.arctan2(p[:, 3], p[:, 2]) - np.arctan2(test_t[:, 3], test_t[:, 2])
        angle = (angle + np.pi) % (2 * np.pi) - np.pi
        return (np.sqrt((dx ** 2 + dy ** 2).mean() / 2), np.median(np.hypot(dx, dy)),
                np.degrees(np.sqrt((angle ** 2).mean())), np.degrees(np.median(np.abs(angle))))

    start, step = time.time(), 0
    while time.time() - start < minutes * 60:
        idx = np.random.randint(0, len(train_frames), 64)
        loss = F.mse_loss(net(pixels(train_frames, idx)), torch.from_numpy(train_t[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 500 == 0:
            print('step %d, %.0f s: position RMS %.2f units per axis, median %.2f; angle RMS %.2f deg, median %.2f'
                  % ((step, time.time() - start) + held_out()), flush=True)
    print('final, step %d: position RMS %.2f units per axis, median %.2f; angle RMS %.2f deg, median %.2f'
          % ((step,) + held_out()))


if __name__ == '__main__':
    main()
