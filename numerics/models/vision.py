"""Small vision models for the 8×8 digits, standing in for the paper's ResNet50 / ViT-Tiny (Section 3.2).

* ``mlp`` — 64 → 128 → 128 → 10, GELU;
* ``resnet`` — 3×3 stem (1 → 16 channels), basic blocks [16, 16] at 8×8 and [32, 32] at 4×4 (stride-2
  entry with a 1×1 projection shortcut), global average pooling, linear head. GroupNorm (4 groups) instead
  of batch norm: batch norm in training mode makes the loss depend on the batch composition, so its Hessian
  in the weights is not that of a fixed function (the curvature engine refuses it);
* ``vit`` — 2×2 patches (16 tokens of dimension 4) + a class token, learned position embeddings, 2 pre-norm
  blocks (LayerNorm, 4-head attention, GELU MLP ×2), d = 64, head on the class token.

No dropout anywhere. Inputs (B, 1, 8, 8), outputs logits (B, 10); the loss is the mean cross-entropy.

>>> sizes = {name: count_parameters(build_vision(name, seed=0)) for name in VISION_MODELS}
>>> sizes
{'mlp': 26122, 'resnet': 42874, 'vit': 69194}
>>> build_vision("vit")(torch.zeros(3, 1, 8, 8)).shape
torch.Size([3, 10])
"""

from __future__ import annotations

import torch
from torch import nn

from warmup_theory.numerics.models.lm import count_parameters

__all__ = ["VISION_MODELS", "build_vision", "count_parameters"]


class BasicBlock(nn.Module):
    """conv3×3–GN–ReLU–conv3×3–GN plus shortcut (1×1 projection when the shape changes), then ReLU."""

    def __init__(self, c_in: int, c_out: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.norm1 = nn.GroupNorm(4, c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.norm2 = nn.GroupNorm(4, c_out)
        self.short: nn.Module = (nn.Identity() if stride == 1 and c_in == c_out
                                 else nn.Conv2d(c_in, c_out, 1, stride, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.norm2(self.conv2(torch.relu(self.norm1(self.conv1(x)))))
        return torch.relu(y + self.short(x))


class SmallResNet(nn.Module):
    """The ``resnet`` of the module docstring."""

    def __init__(self, classes: int = 10) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.GroupNorm(4, 16), nn.ReLU())
        self.blocks = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 16), BasicBlock(16, 32, 2),
                                    BasicBlock(32, 32))
        self.head = nn.Linear(32, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.head(self.blocks(self.stem(x)).mean(dim=(-1, -2)))
        return out


class ViTBlock(nn.Module):
    """Pre-norm transformer encoder block (no dropout)."""

    def __init__(self, d: int, heads: int) -> None:
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.0, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        out: torch.Tensor = x + self.mlp(self.norm2(x))
        return out


class SmallViT(nn.Module):
    """The ``vit`` of the module docstring."""

    def __init__(self, d: int = 64, depth: int = 2, heads: int = 4, classes: int = 10) -> None:
        super().__init__()
        self.patch = nn.Linear(4, d)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(0.02 * torch.randn(1, 17, d))
        self.blocks = nn.Sequential(*(ViTBlock(d, heads) for _ in range(depth)))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b = x.shape[0]
        p = x.reshape(b, 4, 2, 4, 2).permute(0, 1, 3, 2, 4).reshape(b, 16, 4)  # 2×2 patches, row-major
        h = torch.cat([self.cls.expand(b, -1, -1), self.patch(p)], dim=1) + self.pos
        out: torch.Tensor = self.head(self.norm(self.blocks(h))[:, 0])
        return out


def _mlp() -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(),
                         nn.Linear(128, 10))


VISION_MODELS = ("mlp", "resnet", "vit")


def build_vision(name: str, *, seed: int = 0) -> nn.Module:
    """Model ``name`` (one of :data:`VISION_MODELS`), initialised from ``seed``."""
    makers = {"mlp": _mlp, "resnet": SmallResNet, "vit": SmallViT}
    if name not in makers:
        raise ValueError(f"model must be one of {list(VISION_MODELS)} for the digits task, got {name!r}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return makers[name]()
