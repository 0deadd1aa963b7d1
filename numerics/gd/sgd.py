"""Batched SGD on finite sums: many seeds × schedules as one tensor program, on the GD engine.

w_{k+1} = w_k − η_k·∇f_{S_k}(w_k), η_k = 1/(alpha + beta·(f_{S_k}(w_k) − f*)) — the schedules of
:mod:`warmup_theory.numerics.gd` with the gap of the **mini-batch** loss f_S = (1/B)Σ_{i∈S} f_i (fixed step:
beta = 0; Eq. (1) on the mini-batch loss: alpha = 10·H0, beta = 20·H1).  The loop, statuses, masking,
divergence test and gap-increase monitor are the engine's (:func:`warmup_theory.numerics.gd.engine._run`); this
module supplies the gradient oracle:

* every iteration draws one batch per run (all B runs, so a run's stream does not depend on which runs have
  stopped) from one seeded ``torch.Generator``: B indices uniform **without replacement** (default; a random
  permutation's first B entries) or **with replacement** (``replacement=True``), independent across iterations;
* ``iterations`` / ``status`` / ``gap_history`` refer to the **full** gap f(w_k) − f* (the engine's semantics:
  the first k with f(w_k) − f* <= eps); the full f is the mean of the components evaluated anyway;
* a run whose step is undefined (alpha + beta·(f_S − f*) <= 0, possible only without interpolation) stops as
  ``"diverged"`` with ``undefined_step`` True;
* ``dist_increased`` / ``first_dist_increase``: the pathwise distance monitor — the SGD theorems
  (claim "Lemma SGD distance step") say dist(w_k, X*) never increases; the engine tests
  dist_{k+1} > dist_k·(1 + 1e-12) + 1e-12·‖w_k‖ + 1e-300 (the iterate's rounding) for every step taken;
* ``record_every`` = s: histories at k = 0, s, 2s, … (``gap_history`` [⌊T/s⌋ + 1, B]).
  The gap monitor of the engine (``gap_increased``) is informational here: SGD may raise f.

>>> from warmup_theory.numerics.problems.shared_minimiser import consistent_least_squares
>>> p = consistent_least_squares(n=8, dim=2, seed=0)
>>> r = run_sgd(p, [[3.0, -1.0]] * 4, 10 * p.H0, 20 * p.H1, batch=2, eps=1e-6, seed=0, device="cpu")
>>> r.status, bool(r.dist_increased.any())
(('converged', 'converged', 'converged', 'converged'), False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.device import resolve_device
from warmup_theory.theory.bounds.sgd_common import check_int, check_sgd_args

from .engine import _run
from .result import GDBatchResult

__all__ = ["SGDBatchResult", "run_sgd"]

#: relative / absolute slack of the distance monitor (the iterate is rounded: |δw_i| <= u·|w_i|, u ≈ 1.1e-16)
DIST_RTOL, DIST_ATOL = 1e-12, 1e-300


@dataclass(frozen=True)
class SGDBatchResult(GDBatchResult):
    """:class:`~warmup_theory.numerics.gd.GDBatchResult` plus the SGD fields (module docstring)."""

    batch: int = 0
    n: int = 0
    replacement: bool = False
    seed: int = 0
    record_every: int = 1
    undefined_step: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    dist_increased: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    first_dist_increase: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: the GD fields plus the SGD ones."""
        d = super().to_dict()
        d.update(batch=self.batch, n=self.n, replacement=self.replacement, seed=self.seed,
                 record_every=self.record_every, undefined_step=[bool(x) for x in self.undefined_step],
                 dist_increased=[bool(x) for x in self.dist_increased],
                 first_dist_increase=[int(x) for x in self.first_dist_increase])
        return d


class _Oracle:
    """Mini-batch gap and gradient per run; records distance increases by run id (state sized at k = 0, when the
    working set is every run)."""

    def __init__(self, problem: Any, batch: int, replacement: bool, seed: int) -> None:
        self.p, self.batch, self.repl = problem, batch, replacement
        self.n = int(problem.n)
        self.gen = torch.Generator(device="cpu").manual_seed(seed)
        self.fstar = float(problem.f_star)

    def _draw(self) -> torch.Tensor:
        if self.repl:
            S = torch.randint(0, self.n, (self.B, self.batch), generator=self.gen)
        else:
            S = torch.rand(self.B, self.n, generator=self.gen, dtype=torch.float64).argsort(dim=1)[:, : self.batch]
        return S.to(self.dev)

    def __call__(self, W: torch.Tensor, idx: torch.Tensor, k: int,
                 need_grad: bool) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        if k == 0:
            self.B, self.dev = int(W.shape[0]), W.device
            self.first_dinc = torch.full((self.B,), -1, dtype=torch.int64, device=self.dev)
            self.last_dist = torch.full((self.B,), math.inf, dtype=W.dtype, device=self.dev)
            self.last_tol = torch.zeros(self.B, dtype=W.dtype, device=self.dev)
        with torch.no_grad():
            F, G = self.p.components(W)
            dist = self.p.minimiser_dist(W)
            inc = ~(dist <= self.last_dist[idx] + self.last_tol[idx])
            self.first_dinc[idx] = torch.where(inc & (self.first_dinc[idx] < 0), k - 1, self.first_dinc[idx])
            self.last_dist[idx] = dist
            self.last_tol[idx] = DIST_RTOL * (dist + W.norm(dim=1)) + DIST_ATOL
            fv = F.mean(dim=1)
            S = self._draw()[idx]                                   # every run draws; the working set uses its rows
            sgap = F.gather(1, S).mean(dim=1) - self.fstar
            if not need_grad:
                return fv, sgap, None
            gS = G.gather(1, S[:, :, None].expand(-1, -1, G.shape[2])).mean(dim=1)
        return fv, sgap, gS


def run_sgd(problem: Any, w0: Any, alpha: Any, beta: Any, *, batch: int, eps: float, seed: int = 0,
            replacement: bool = False, max_iter: int = 100_000, record: bool = False, record_every: int = 1,
            device: Any = None, dtype: torch.dtype = torch.float64, diverge_factor: float = 1e12,
            sync_every: int | None = None) -> SGDBatchResult:
    """Run B SGD runs with η_k = 1/(alpha + beta·(f_{S_k}(w_k) − f*)) at once (module docstring).

    problem: a :class:`~warmup_theory.numerics.problems.finite_sum.FiniteSumProblem` (``n``, ``components``,
    ``f_star``, ``minimiser_dist``).  w0 [B, d]; alpha, beta scalars or [B] (>= 0, not both 0);
    1 <= batch <= n; eps > 0; seed >= 0 (the batches' generator).

    >>> from warmup_theory.numerics.problems.shared_minimiser import no_interpolation_pair
    >>> r = run_sgd(no_interpolation_pair(1.0, 1.5), [[3.0]] * 8, 10.0, 30.0, batch=1, eps=1e-9, seed=0,
    ...             max_iter=2000, device="cpu")
    >>> set(r.status), bool(r.undefined_step.all())        # H1 >= 2a/b: the step becomes undefined
    ({'diverged'}, True)
    """
    for attr in ("n", "components", "minimiser_dist"):
        if not hasattr(problem, attr):
            raise TypeError(f"problem must be a FiniteSumProblem (it has no {attr!r}), got {type(problem).__name__}")
    batch, n = check_sgd_args(batch, problem.n, replacement)
    seed = check_int("seed", seed, 0)
    record_every = check_int("record_every", record_every, 1)
    dev = resolve_device(device)
    oracle = _Oracle(problem, batch, replacement, seed)
    threads = torch.get_num_threads()
    if dev.type == "cpu":  # tiny per-step tensors: one intra-op thread (on 2 shared cores, 2 threads made a
        torch.set_num_threads(1)  # [200, 4] @ [4, 16] matmul 1000x slower: 31 ms against 20 us)
    try:
        r, undefined = _run(problem, w0, alpha, beta, eps=eps, max_iter=max_iter, record=record, device=dev,
                            dtype=dtype, diverge_factor=diverge_factor, sync_every=sync_every, oracle=oracle,
                            record_every=record_every)
    finally:
        torch.set_num_threads(threads)
    fd = oracle.first_dinc.cpu().numpy().astype(np.int64)
    base = {f: getattr(r, f) for f in r.__dataclass_fields__}
    return SGDBatchResult(**base, batch=batch, n=n, replacement=replacement, seed=seed, record_every=record_every,
                          undefined_step=undefined, dist_increased=fd >= 0, first_dist_increase=fd)
