"""Batched gradient descent: many runs as one tensor program, stopped run by run.

Every step-size schedule of the toolkit has the form (paper v2, Eq. (1) and its family)

    η_k = 1 / (alpha + beta · gap_k),      gap_k = f(w_k) − f*,

* fixed step η:               alpha = 1/η,      beta = 0
* the paper's warm-up, Eq. (1): alpha = 10·H0,  beta = 20·H1
* the family (a, b):          alpha = a·H0,     beta = b·H1
* practical one-parameter:    η_peak / (1 + C·gap)  →  alpha = 1/η_peak, beta = C/η_peak

so B runs (instances × initial points × schedules) are one program with per-run
``alpha``, ``beta`` of shape [B].  GD is ``w_{k+1} = w_k − η_k ∇f(w_k)`` in float64
(by default), with ∇f from the problem's closed form ``vg_fn`` when it has one, else
from autograd of ``f(W).sum()`` (rows are independent, so this is the per-run gradient).

Semantics (per run):

* ``iterations`` = the first k >= 0 with gap_k <= eps (0 when gap_0 <= eps), i.e. the
  number of GD steps taken; -1 if the run never converged.
* ``status``: ``"converged"``; ``"diverged"`` when gap_k is not finite (NaN included:
  no silent NaN) or gap_k > diverge_factor · max(gap_0, 1); ``"max_iter"`` when
  gap_k > eps for every k <= max_iter (at most ``max_iter`` steps are taken).
  A run's status is a result, never an exception.
* ``gap_increased`` / ``first_increase``: class-stability monitor (see
  ``warmup_theory.theory.bounds.steps``: a step is class-stable when it never increases the gap,
  Δ_{k+1} <= Δ_k, and every proven schedule relies on that descent).  For every step
  the run took (k < ``stopped_at``) the engine tests, on the device and with one
  comparison per run and step,

      not ( gap_{k+1} <= gap_k + rtol·(gap_k + |f*| + Σ_i |w_{k,i}·∇f(w_k)_i|) + atol )

  and records the first k where it holds (``first_increase``, -1 if none;
  ``gap_increased = first_increase >= 0``).  ``not (x <= y)`` makes a NaN gap_{k+1}
  (after a finite gap_k) an increase too.  Tolerances (``increase_rtol``,
  ``increase_atol``; defaults 1e-12 and 1e-300 in float64, 1e-4 and 1e-35 in float32):

  - rtol·gap_k: two evaluations of f with relative error a few units of roundoff u
    (u = 2^-53 ≈ 1.1e-16; a sum of n non-negative terms: ≈ n·u) differ by far less
    than 1e-12 ≈ 4500·u, while an unstable step changes the gap by O(1) factors;
  - rtol·|f*|: gap = f(w) − f* inherits the absolute rounding error ≈ u·|f*| of f
    when f* != 0 (this keeps runs near f* free of false positives when |f*| >> gap);
  - rtol·Σ|w_i·g_i|: the iterate itself is rounded, w_{k+1} = fl(w_k − η g_k) with
    |δ_i| <= u·|w_{k+1,i}|, which moves f by ≈ <∇f, δ> <= u·Σ|w_i·∇f_i|: near a
    minimiser w* != 0 the gap stalls at the resolution of w and can wobble upwards
    (without this term, Eq. (1) on random_class_members(range(100), dim=4, n_terms=2)
    run to eps = 1e-300 from 3·N(0, I) starts (rng seed 4) shows 7 runs where the gap
    rises by 0.1–2.6 % at gap ≈ 1e-28, e.g. run 2 at k = 2531: 9.68e-29 → 9.93e-29);
  - atol: gaps below 1e-300 are in or next to the subnormal range (smallest normal
    float64 ≈ 2.2e-308), where relative precision is lost.

  The monitor is a numerical diagnostic, not a proof: an increase below the tolerance
  (≈ 1e-12 relative) is not reported, and an increase that starts below the noise
  scale is reported at the first step where it exceeds it.  An f evaluated with
  internal cancellation (e.g. cosh(w) − 1 near 0) may need a larger ``increase_rtol``.
* Runs stop individually (masking); stopped runs are dropped from the working set
  when fewer than half remain, and the loop ends when no run is active.

>>> import numpy as np
>>> from warmup_theory.numerics.problems import cosh_problem
>>> p = cosh_problem(1.0, 1.0)
>>> s = Schedule.warmup(p.H0, p.H1)
>>> r = run_gd(p, np.array([[3.0], [0.0], [40.0]]), [s.alpha, s.alpha, 1e-3], [s.beta, s.beta, 0.0],
...            eps=1e-6, device="cpu")
>>> r.status
('converged', 'converged', 'diverged')
>>> int(r.iterations[1]), int(r.iterations[2])
(0, -1)
>>> bool(r.iterations[0] > 0)
True
"""


from __future__ import annotations

from warmup_theory.numerics.device import resolve_device

from .engine import run_gd
from .result import GDBatchResult
from .schedule import STATUSES, Schedule, stack_schedules
from .sgd import SGDBatchResult, run_sgd

__all__ = ["Schedule", "GDBatchResult", "run_gd", "stack_schedules", "resolve_device", "STATUSES", "SGDBatchResult",
           "run_sgd"]

