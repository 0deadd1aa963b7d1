"""The one prepared GPU script of the curvature engine (issue 11).

On a CUDA machine: the three MLPs of benchmarks/curvature.py --engine (837 / 203,530 / 1,068,810
parameters) and a causal transformer language model of >= 10M parameters, whose HVPs run in float32
and in bfloat16 (the Lanczos vectors and scalars stay float64). For each: HVPs, wall seconds, the
certified relative width of the bracket, the rounding allowance, and the cost of one HVP over one
gradient (minimum over repeats, CUDA synchronised). A time guard skips what would not finish in
--budget-s (default 420 s), so the script exits within 8 minutes including start-up.

``--quick`` shrinks every model so that the script runs on a CPU in seconds (the test suite runs it,
so it cannot rot). No GPU figure is recorded unless this script printed it on a GPU.

Run: python benchmarks/gpu.py [--quick] [--device cuda|cpu] [--budget-s 420]
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from warmup_theory.numerics.curvature.model import model_problem
from warmup_theory.numerics.curvature.spectral_norm import solve_problem

CE = nn.functional.cross_entropy


class CausalLM(nn.Module):
    """Token + position embeddings, ``layers`` pre-norm causal encoder layers (dropout 0), a linear head."""

    def __init__(self, vocab: int, d: int, heads: int, layers: int, ff: int, seq: int) -> None:
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(0.02 * torch.randn(seq, d))
        layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d, vocab)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(seq), persistent=False)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        t = tokens.shape[1]
        h = self.emb(tokens) + self.pos[:t]
        return self.head(self.enc(h, mask=self.mask[:t, :t], is_causal=True))


def lm_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return CE(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def mlp(sizes: list[int], n: int, seed: int = 0) -> tuple[nn.Module, list[Any]]:
    """The tanh MLPs (random labels) of benchmarks/curvature.py (``mlp_ce``), the same models as --engine."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    from curvature import mlp_ce

    return mlp_ce(sizes, n, seed=seed)


def lm(quick: bool, seed: int = 0) -> tuple[nn.Module, list[Any]]:
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    vocab, d, heads, layers, ff, seq, batch = (64, 16, 2, 1, 32, 8, 4) if quick else (8192, 512, 8, 4, 2048, 128, 8)
    model = CausalLM(vocab, d, heads, layers, ff, seq).eval()
    tokens = torch.randint(0, vocab, (batch, seq + 1), generator=g)
    return model, [(tokens[:, :-1], tokens[:, 1:])]


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _min_time(fn: Callable[[], Any], device: torch.device, reps: int = 5) -> float:
    fn()
    best = math.inf
    for _ in range(reps):
        _sync(device)
        t0 = time.perf_counter()
        fn()
        _sync(device)
        best = min(best, time.perf_counter() - t0)
    return best


def run_case(name: str, model: nn.Module, loss: Any, data: list[Any], dtype: torch.dtype, device: torch.device,
             memory_budget: int) -> list[str]:
    """One row per Lanczos reorthogonalisation ("full", the default, and "none"), same problem and HVP baseline."""
    prob = model_problem(model, loss, data, dtype=dtype, device=device)
    v = torch.randn(prob.n, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    t_hvp = _min_time(lambda: prob.hvp(v), device)
    t_grad = _min_time(prob.gradient, device)
    tol = 1e-6 if dtype == torch.float64 else (1e-4 if dtype == torch.float32 else 3e-2)
    rows = []
    for reorth in ("full", "none"):
        _sync(device)
        t0 = time.perf_counter()
        r = solve_problem(prob, method="lanczos", tol=tol, generator=torch.Generator().manual_seed(1),
                          memory_budget=memory_budget, reorth=reorth)
        _sync(device)
        wall = time.perf_counter() - t0
        rows.append(f"| {name} | {prob.n:,} | {str(dtype)[6:]} | {r.stop} tol {tol:g} | {r.reorth} | {r.hvps} | "
                    f"{wall:.2f} | {wall / (r.hvps * t_hvp):.2f} | {r.relative_width:.1e} | "
                    f"{r.rounding / max(r.lower, 1e-300):.1e} | {r.converged} | {t_hvp * 1e3:.2f} | "
                    f"{t_hvp / t_grad:.2f} |")
    return rows


HEAD = ("| model | n | HVP dtype | stop rule | reorth | HVPs | wall s | wall / (HVPs x HVP) | certified rel. width "
        "| rounding allowance (rel.) | converged | HVP ms | HVP / gradient |")
COLUMNS = HEAD.count("|") - 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny models (runs on a CPU in seconds)")
    ap.add_argument("--device", default=None, help="cuda or cpu (default: cuda when available)")
    ap.add_argument("--budget-s", type=float, default=420.0, help="skip cases that would start after this")
    args = ap.parse_args(argv)
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cuda" and not torch.cuda.is_available():
        print("gpu.py: --device cuda but CUDA is not available", file=sys.stderr)
        return 2
    start = time.perf_counter()
    gpu = torch.cuda.get_device_name(device) if device.type == "cuda" else "none"
    print(f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
          f"torch {torch.__version__}, device {device} ({gpu}), quick {args.quick}")
    f64, f32, bf16 = torch.float64, torch.float32, torch.bfloat16
    q = args.quick
    cases: list[tuple[str, Callable[[], tuple[nn.Module, list[Any]]], Any, torch.dtype]] = [
        ("MLP 20-32-5 tanh CE", lambda: mlp([20, 32, 5], 256), CE, f64),
        ("MLP 784-256-10 tanh CE", lambda: mlp([30, 16, 10] if q else [784, 256, 10], 64), CE, f64),
        ("MLP 784-1024-256-10 tanh CE", lambda: mlp([30, 32, 16, 10] if q else [784, 1024, 256, 10], 64), CE, f32),
        ("causal LM 4 layers d 512 vocab 8192", lambda: lm(q), lm_loss, f32),
        ("causal LM 4 layers d 512 vocab 8192", lambda: lm(q), lm_loss, bf16),
    ]
    # the basis of the LM (float64 vectors): at most 8 GiB on the GPU
    budget = 8 * 2 ** 30 if device.type == "cuda" else 2 ** 30
    print(HEAD)
    print("|" + "---|" * COLUMNS)
    for name, build, loss, dtype in cases:
        if time.perf_counter() - start > args.budget_s:
            print(f"| {name} | skipped: time budget {args.budget_s:.0f} s reached |" + " |" * (COLUMNS - 2))
            continue
        model, data = build()
        name = f"{name} [--quick sizes]" if q else name
        try:
            print("\n".join(run_case(name, model, loss, data, dtype, device, budget)), flush=True)
        except (RuntimeError, ValueError) as err:  # e.g. out of memory: a result, printed
            print(f"| {name} | failed: {type(err).__name__}: {str(err).splitlines()[0][:100]} |" + " |" * (COLUMNS - 2))
    print(f"total {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
