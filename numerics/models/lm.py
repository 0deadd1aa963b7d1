"""Byte-level decoder-only language models in the style of the paper's LMs (Section 3.2), at small scale.

Architecture (as in the Pythia/LLaMA family the paper's 70M/160M/410M models belong to): token embedding
(vocabulary 256 bytes), ``n_layers`` pre-norm blocks x ← x + Attn(RMSNorm(x)), x ← x + SwiGLU(RMSNorm(x)),
causal multi-head attention with rotary position embeddings on queries and keys, a final RMSNorm and an
untied output head; no biases, no dropout (so the loss is a deterministic function of the weights and
its Hessian is well defined). Attention is written out (scores, causal mask, softmax) rather than
``scaled_dot_product_attention`` so that double backward — the HVPs of the curvature engine — works on
every backend. ``forward`` returns logits (B, T, 256); the loss is the mean next-byte cross-entropy
:func:`lm_loss` (nats per byte).

Sizes (scale analogues of 70M / 160M / 410M; exact counts from :func:`count_parameters`):

======  =======  ========  =======  =====  ==========
name    d_model  n_layers  n_heads  d_ffn  parameters
======  =======  ========  =======  =====  ==========
tiny    64       2         4        128    115,008
small   128      5         4        344    1,055,104
medium  256      6         8        688    4,877,568
======  =======  ========  =======  =====  ==========

>>> m = build_lm("tiny", seed=0)
>>> count_parameters(m)
115008
>>> x = torch.randint(0, 256, (2, 16))
>>> m(x).shape
torch.Size([2, 16, 256])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

__all__ = ["LM_SIZES", "ByteLM", "LMConfig", "build_lm", "count_parameters", "lm_loss"]


@dataclass(frozen=True)
class LMConfig:
    """Shape of a :class:`ByteLM`."""

    d_model: int
    n_layers: int
    n_heads: int
    d_ffn: int
    vocab: int = 256
    rope_base: float = 10_000.0


LM_SIZES: dict[str, LMConfig] = {
    "tiny": LMConfig(64, 2, 4, 128),
    "small": LMConfig(128, 5, 4, 344),
    "medium": LMConfig(256, 6, 8, 688),
}


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class RMSNorm(nn.Module):
    """x / sqrt(mean(x²) + eps) · g, with a learned gain g (no bias)."""

    def __init__(self, d: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def _rotate(x: torch.Tensor, base: float) -> torch.Tensor:
    """Rotary embedding on the last dimension (pairs (i, i + d/2)) of x: (B, H, T, d)."""
    t, d = x.shape[-2], x.shape[-1]
    inv = base ** (-torch.arange(0, d // 2, device=x.device, dtype=x.dtype) * 2 / d)
    ang = torch.arange(t, device=x.device, dtype=x.dtype)[:, None] * inv[None, :]
    cos, sin = ang.cos(), ang.sin()
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Block(nn.Module):
    """One pre-norm decoder block: causal rotary attention and a SwiGLU MLP, both residual."""

    def __init__(self, cfg: LMConfig) -> None:
        super().__init__()
        if cfg.d_model % cfg.n_heads or (cfg.d_model // cfg.n_heads) % 2:
            raise ValueError(f"d_model must be a multiple of 2·n_heads, got {cfg.d_model}, {cfg.n_heads}")
        self.cfg = cfg
        d = cfg.d_model
        self.norm1, self.norm2 = RMSNorm(d), RMSNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d, bias=False)
        self.gate = nn.Linear(d, cfg.d_ffn, bias=False)
        self.up = nn.Linear(d, cfg.d_ffn, bias=False)
        self.down = nn.Linear(cfg.d_ffn, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        h = self.cfg.n_heads
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, h, d // h).permute(2, 0, 3, 1, 4)
        q, k = _rotate(q, self.cfg.rope_base), _rotate(k, self.cfg.rope_base)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // h)
        mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        att = scores.masked_fill(mask, float("-inf")).softmax(-1) @ v
        x = x + self.out(att.transpose(1, 2).reshape(b, t, d))
        y = self.norm2(x)
        out: torch.Tensor = x + self.down(nn.functional.silu(self.gate(y)) * self.up(y))
        return out


class ByteLM(nn.Module):
    """Decoder-only byte LM (module docstring); ``forward(x)`` with x int64 (B, T) returns logits (B, T, vocab)."""

    def __init__(self, cfg: LMConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.vocab, bias=False)
        self._init()

    def _init(self) -> None:
        """GPT-2 style: N(0, 0.02²), residual output projections scaled by 1/sqrt(2·n_layers)."""
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * self.cfg.n_layers) if name.endswith(("out.weight", "down.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        for blk in self.blocks:
            h = blk(h)
        out: torch.Tensor = self.head(self.norm(h))
        return out


def build_lm(size: str, *, seed: int = 0) -> ByteLM:
    """A :class:`ByteLM` of size ``"tiny"``, ``"small"`` or ``"medium"``, initialised from ``seed``."""
    if size not in LM_SIZES:
        raise ValueError(f"size must be one of {sorted(LM_SIZES)}, got {size!r}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return ByteLM(LM_SIZES[size])


def lm_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean next-byte cross-entropy over all B·T positions (nats per byte)."""
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
