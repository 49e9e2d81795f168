"""The network's shape as Kiban passes it to the PyTorch peers (PythonPeer.networkArguments), and the
act transformer built from it, shared by train_step.py and infer_step.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kiban-policy/src/main/resources/kiban/policy/export"))
from torchscript_export import ActTransformer  # noqa: E402  (the export's modules, not copies)


def add_network_arguments(p):
    p.add_argument("--obs", type=int, default=12)
    p.add_argument("--chunk", type=int, default=32)
    p.add_argument("--hidden", default="512,512,512")
    p.add_argument("--observation-steps", type=int, default=2)
    p.add_argument("--horizon", type=int, default=16)
    p.add_argument("--model-dim", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--encoder-layers", type=int, default=4)
    p.add_argument("--decoder-layers", type=int, default=1)


def hidden_widths(a):
    return [int(h) for h in a.hidden.split(",")]


def act_network(a):
    """Kiban's ActTransformer: one token per observation step, one learned query per chunk step."""
    return ActTransformer(a.observation_steps, a.obs // a.observation_steps, a.horizon, a.chunk // a.horizon,
                          a.model_dim, a.heads, a.encoder_layers, a.decoder_layers)
