"""One search driver for families described by a :class:`_Family` (Props D.1 and 3.4).

For the leaky-ReLU unit (:mod:`warmup_theory.numerics.search.leaky_relu`) and the linear-attention
layer (:mod:`warmup_theory.numerics.search.attention`) the bound H0 + H1(f − f*) does not depend on
f* (tangent / affine forms); the ratio ‖∇²f‖₂ / (H0 + H1(f − f*)) (spectral norm of the dense
Hessian) is still evaluated at both ends of [0, f*_hi].  The driver runs, with one seeded
generator: random points at scales 10^[−1.5, 1.5], GD with steps 1/(H0 + H1·gap) and 4× that,
then ``rounds`` rounds of Adam ascent on log ρ, each after the first on mutated copies of the
worst half of the instances.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from warmup_theory.numerics.search.batch import _Batch
from warmup_theory.numerics.search.ratios import _beats, _nan_low, _Tally, aggregate_ratios
from warmup_theory.numerics.search.trajectories import _ascent, _gd

__all__: list[str] = []

Instance = dict[str, Any]
Best = dict[str, tuple[float, int, torch.Tensor, _Batch]]


@dataclass(frozen=True)
class _Family:
    """What the driver needs from one architecture (all draws use the driver's generator).

    ``instances(n)`` draws n data instances, ``batch(inst)`` builds their :class:`_Batch`,
    ``mutate(it)`` perturbs one instance, ``randz(n, scales)`` draws n search vectors at the
    given scales, ``to_theta(z)`` maps search vectors to flat weights, ``project`` keeps GD
    iterates admissible (or None), ``starts(k)`` the ascent starts per instance for budget k.
    """

    instances: Callable[[int], list[Instance]]
    batch: Callable[[list[Instance]], _Batch]
    mutate: Callable[[Instance], Instance]
    randz: Callable[[int, torch.Tensor], torch.Tensor]
    to_theta: Callable[[torch.Tensor], torch.Tensor]
    project: Callable[[torch.Tensor], torch.Tensor] | None
    starts: Callable[[int], int]


def _check_generic(family: Callable[[torch.Generator], _Family], B: dict[str, int], seed: int,
                   device: torch.device) -> tuple[Best, dict[str, int], _Tally]:
    """Random points, GD and the adversarial search for the family built by ``family(g)``;
    returns (best (ratio, instance, θ, batch) per source, points per source, tally)."""
    g = torch.Generator().manual_seed(seed)
    fam = family(g)
    inst = fam.instances(B["n_data"])
    batch = fam.batch(inst)
    nd = len(inst)
    best: Best = {}
    counts = {"random": 0, "gd": 0, "search": 0}
    tally = _Tally()

    def record(src: str, r: torch.Tensor, idx: torch.Tensor, th: torch.Tensor) -> None:
        """Keep the best ratio of ``r`` for ``src`` with the current batch."""
        k, v, _ = aggregate_ratios(r)
        if src not in best or _beats(v, best[src][0]):
            best[src] = (v, int(idx[k]), th[k].detach(), batch)
        counts[src] += int(r.numel())

    nr = B["n_random"]
    idx = torch.arange(nd, device=device).repeat_interleave(nr)
    z = fam.randz(nd * nr, torch.logspace(-1.5, 1.5, nr, dtype=torch.float64).repeat(nd))
    r, _, _ = batch.evaluate(z, idx)
    tally.add("random", r)
    record("random", r, idx, fam.to_theta(z))
    ng = B["gd_runs"]
    idx = torch.arange(nd, device=device).repeat_interleave(ng)
    th0 = fam.to_theta(fam.randz(nd * ng, torch.logspace(-1, 0.5, ng, dtype=torch.float64).repeat(nd)))
    for mult in (1.0, 4.0):
        r, th = _gd(batch, th0, idx, B["gd_steps"], mult, fam.project, tally.counter("gd"))
        record("gd", r, idx, th)
    ns = fam.starts(B["starts"])
    for rnd in range(B["rounds"]):
        if rnd:
            per = torch.full((nd,), -math.inf, dtype=torch.float64).scatter_reduce(
                0, idx.cpu(), _nan_low(r.cpu()), "amax")
            top = torch.argsort(per, descending=True)[: max(1, nd // 2)].tolist()
            inst = [fam.mutate(inst[i]) for i in top for _ in range(2)]
            batch = fam.batch(inst)
            nd = len(inst)
        idx = torch.arange(nd, device=device).repeat_interleave(ns)
        z = fam.randz(nd * ns, torch.logspace(-1, 1, ns, dtype=torch.float64).repeat(nd))
        r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
        record("search", r, idx, fam.to_theta(zb))
    return best, counts, tally
