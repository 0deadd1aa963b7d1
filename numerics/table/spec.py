"""What ``warmup-theory table`` runs: problem families × schedules, with their documented choices.

Problem families (``--problems``; each is one batched GD program, see :mod:`warmup_theory.numerics.table.runner`):

==================  =========================================================================
``cosh``            the extremal function (H0/H1)(cosh(√H1 w) − 1): f'' = H0 + H1 f exactly,
                    μ = H0, θ = 1 (:func:`warmup_theory.numerics.problems.cosh_problem`)
``pl-hard``         the PL hard function of Thm 4.1(3), started where its gap is gap0
                    (:func:`warmup_theory.numerics.problems.pl_hard_problem`, :func:`warmup_theory.theory.hard_functions.pl_hard_start`)
``pl-witness``      the lower bound's witness member q(w) = (μ/2)w² of the class (H0, H1, μ), started
                    at √(2·gap0/μ) (:func:`warmup_theory.theory.bounds.pl_lower_bound_witness`); its fixed-stable
                    row carries ``lower`` = :func:`warmup_theory.theory.bounds.pl_fixed_lower_iterations`
``aiming-witness``  the witness q_λ(w) = (λ/2)w² of the aiming lower bound Thm 4.1(1–2)
                    (toolkit's form, :func:`warmup_theory.theory.bounds.aiming_fixed_lower_iterations`); its
                    fixed-stable row carries ``lower``; rows show the class gap0 (the problem
                    name says ``class gap0=…``; the run's own start gap is in the notes)
``quadratic``       ½(w − c)ᵀA(w − c) (H1 = 0 and H1 > 0 variants)
``quartic``         w⁴ and Σ c_i w_i⁶ (convex polynomials; θ = 1, not PL)
``random-class``    random members of the class built by the closure rules
                    (:func:`warmup_theory.numerics.problems.random_class_member`)
``deep-linear``     a strongly balanced deep linear network (widths (3, 4, 2)), ½·MSE summed,
                    Gaussian data with exact f*; (H0, H1) from
                    :func:`warmup_theory.theory.architectures.deep_linear.deep_linear_constants` (certified on
                    balanced weights only — GD drifts off them, the drift is reported, so the
                    rows flag H0, H1 as estimates, shown ``~``); μ is an ESTIMATE: the PL ratio
                    |∇f|²/(2(f − f*)) along one run bounds μ only from above, shown
                    ``~m [0, m]`` (m = its minimum); not in ``--quick``
``two-layer-ce``    a two-layer network, one hidden unit, sine-perturbed identity activation,
                    binary CE + L2; (H0, H1) from :func:`warmup_theory.theory.architectures.two_layer_ce.\
two_layer_ce_constants` (corrected Prop 3.3); f* in a certified bracket; μ an ESTIMATE
                    (``~m [0, m]`` as for deep-linear); not in ``--quick``
==================  =========================================================================

Schedules (``--schedules``), all of the form η = 1/(alpha + beta·gap):

* ``warmup`` — Eq. (1) (v2): 1/(10·H0 + 20·H1·gap).
* ``warmup-family`` — 1/(a·H0 + b·H1·gap) with the best proven (a, b) =
  :data:`warmup_theory.theory.bounds.BEST_ADAPTIVE_FAMILY` (the (a, b) maximising the proven rate).
* ``fixed-stable`` — the class-stable fixed step η = 1/(H0 + H1·gap0): half the largest certified
  class-stable step :func:`warmup_theory.theory.bounds.pl_fixed_step` = 2/(H0 + H1·gap0), and the step for which
  :func:`warmup_theory.theory.bounds.pl_fixed_iterations` is proved (it maximises the guaranteed decrease).
  On non-PL (aiming-only) problems η = min(1/(H0 + H1·gap0), θ/(2H0 + H1·gap0)), the default of
  :func:`warmup_theory.theory.bounds.aiming_fixed_iterations`.
* ``fixed-oracle`` — the best fixed step of the grid η_fixed-stable·10^(j/8), j = 0..G−1, on that
  very instance (fewest iterations; ties → smaller step).  **An oracle**: found by running every
  grid step to the end, so no user can know it in advance; no bound applies to it.  The grid ratio
  10^(1/8) is irrational with respect to 2, so no grid step sits exactly on an oscillation threshold.
* ``practical`` — the one-parameter warm-up η_peak/(1 + C·(f − f̂*)) (NOTES §6 [D]) with the
  documented choice η_peak = 1/H0 (the classical 1/L step with L = H0), C = 2·H1/H0 (theory's ratio),
  f̂* = 0 for non-negative losses (else the exact f*).  Because f̂* <= f*, it is the family member
  (a, b) = (1 + 2·H1·(f* − f̂*)/H0, 2), inside the proven region a, b > 1/2, so on μ-PL problems the
  family closed form :func:`warmup_theory.theory.bounds.pl_adaptive_family_iterations` (toolkit's own Thm 4.3 for the
  family) and the family recursion bound :func:`warmup_theory.theory.bounds.pl_adaptive_recursion_iterations` apply
  to it at that (a, b) (the runner checks admissibility and leaves the cells empty, with a note, if not).

>>> [f.name for f in FAMILIES]
['cosh', 'pl-hard', 'pl-witness', 'aiming-witness', 'quadratic', 'quartic', 'random-class', 'deep-linear', 'two-layer-ce']
>>> parse_list("warmup,fixed-stable", SCHEDULE_NAMES, "schedules")
('warmup', 'fixed-stable')
>>> parse_list("warmup,nope", SCHEDULE_NAMES, "schedules")
Traceback (most recent call last):
...
ValueError: unknown schedules: nope; valid: warmup, warmup-family, fixed-stable, fixed-oracle, practical
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.table.rows import SCHEDULES

__all__ = ["Instance", "Family", "FAMILIES", "FAMILY_NAMES", "QUICK_FAMILY_NAMES", "SCHEDULE_NAMES", "TableConfig",
           "parse_list", "start_at_gap", "ORACLE_RATIO", "PRACTICAL_DOC"]

SCHEDULE_NAMES: tuple[str, ...] = SCHEDULES
#: Ratio between consecutive steps of the oracle grid.
ORACLE_RATIO: float = 10.0 ** (1.0 / 8.0)
PRACTICAL_DOC = ("practical: eta_peak/(1 + C*(f - fhat*)), eta_peak = 1/H0, C = 2*H1/H0, fhat* = 0 "
                 "(non-negative losses)")


@dataclass(frozen=True)
class TableConfig:
    """Run options of the table (``quick`` picks the small set)."""

    problems: tuple[str, ...]
    schedules: tuple[str, ...]
    quick: bool = False
    seed: int = 0
    device: str = "cpu"
    max_iter: int = 60_000
    oracle_grid: int = 24


@dataclass(frozen=True)
class Instance:
    """One problem instance with one start point; ``H0, H1, mu, theta`` are the *class* constants
    the bounds use (certified; for ``pl-witness`` the class the witness is a member of)."""

    label: str
    family: str
    problem: Any                      # warmup_theory.numerics.problems.Problem (unbatched)
    w0: np.ndarray                    # [dim]
    H0: float
    H1: float
    mu: float | None
    theta: float | None
    f_star: float
    gap0: float
    dist0: float | None
    witness: bool = False
    notes: str = ""
    estimated: tuple[str, ...] = ()   # constants not certified along this run (e.g. ("H0", "H1"))


@dataclass(frozen=True)
class Family:
    """A problem family: a builder of instances and the eps its rows use."""

    name: str
    build: Callable[[bool, int], list[Instance]]
    eps_default: float
    eps_quick: float
    record: bool = False              # keep gap/step histories (for the plots)
    doc: str = ""
    in_quick: bool = True             # part of the --quick set

    def eps(self, quick: bool) -> float:
        return self.eps_quick if quick else self.eps_default


def parse_list(text: str | Sequence[str] | None, valid: Sequence[str], what: str) -> tuple[str, ...]:
    """Comma list → tuple of names, in the order given; unknown names → ``ValueError`` listing valid ones.
    ``None``, ``""`` or ``"all"`` → all of ``valid``."""
    if text is None:
        return tuple(valid)
    items = [t.strip() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    if not items or items == ["all"]:
        return tuple(valid)
    bad = [t for t in items if t not in valid]
    if bad:
        raise ValueError(f"unknown {what}: {', '.join(bad)}; valid: {', '.join(valid)}")
    out: list[str] = []
    for t in items:
        if t not in out:
            out.append(t)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# start points

def _gap(problem: Any, w: np.ndarray) -> float:
    with torch.no_grad():
        W = torch.as_tensor(np.asarray(w, dtype=np.float64).reshape(1, -1), dtype=torch.float64)
        return float(problem.f(W)[0]) - float(problem.f_star)


def start_at_gap(problem: Any, center: np.ndarray, direction: np.ndarray, gap0: float) -> np.ndarray:
    """The point center + t·u (u = direction/|direction|, t > 0) with f − f* = gap0, by bisection.

    Valid for convex f minimised at ``center`` (the gap is then non-decreasing in t).  The returned
    point's gap equals gap0 to ~1e-12 relative; rows report the measured gap, not the target.

    >>> from warmup_theory.numerics.problems import cosh_problem
    >>> w = start_at_gap(cosh_problem(1.0, 1.0), np.zeros(1), np.ones(1), 10.0)
    >>> round(float(np.cosh(w[0]) - 1), 9)
    10.0
    """
    u = np.asarray(direction, dtype=np.float64)
    u = u / np.linalg.norm(u)
    c = np.asarray(center, dtype=np.float64)
    lo, hi = 0.0, 1.0
    while _gap(problem, c + hi * u) < gap0:
        lo, hi = hi, 2 * hi
        if hi > 1e8:
            raise ValueError(f"gap0={gap0} not reached along the ray (gap stays below it)")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if _gap(problem, c + mid * u) < gap0:
            lo = mid
        else:
            hi = mid
    return c + hi * u


def _center(problem: Any) -> np.ndarray:
    c = (getattr(problem, "shared_params", None) or {}).get("c")
    return np.zeros(problem.dim) if c is None else np.asarray(c, dtype=np.float64).reshape(-1)


def _dist(problem: Any, w0: np.ndarray) -> float | None:
    if problem.minimiser_dist is None:
        return None
    with torch.no_grad():
        return float(problem.minimiser_dist(torch.as_tensor(w0.reshape(1, -1), dtype=torch.float64))[0])


def _instance(label: str, family: str, problem: Any, w0: np.ndarray, *, H0: float | None = None,
              H1: float | None = None, mu: Any = "problem", theta: Any = "problem", witness: bool = False,
              notes: str = "") -> Instance:
    c = problem.constants()
    return Instance(
        label=label, family=family, problem=problem, w0=np.asarray(w0, dtype=np.float64).reshape(-1),
        H0=float(c["H0"] if H0 is None else H0), H1=float(c["H1"] if H1 is None else H1),
        mu=c["mu"] if mu == "problem" else mu, theta=c["theta"] if theta == "problem" else theta,
        f_star=float(c["f_star"]), gap0=_gap(problem, w0), dist0=_dist(problem, np.asarray(w0)),
        witness=witness, notes=notes or problem.provenance)


# ---------------------------------------------------------------------------------------------
# family builders

def _build_cosh(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import cosh_problem

    cases = [(1.0, 1.0, 100.0)] if quick else [(1.0, 1.0, 1.0), (1.0, 1.0, 100.0), (4.0, 0.25, 100.0)]
    out = []
    for H0, H1, g0 in cases:
        p = cosh_problem(H0, H1)
        w0 = start_at_gap(p, np.zeros(1), np.ones(1), g0)
        out.append(_instance(f"cosh(H0={H0:g},H1={H1:g})", "cosh", p, w0))
    return out


def _build_pl_hard(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import pl_hard_problem
    from warmup_theory.theory.hard_functions import pl_hard_start

    cases = [(1.0, 1.0, 0.5, 100.0)] if quick else [(1.0, 1.0, 0.5, 100.0), (1.0, 1.0, 1.0, 10.0)]
    out = []
    for H0, H1, mu, g0 in cases:
        p = pl_hard_problem(H0, H1, mu)
        w0 = np.array([pl_hard_start(H1, mu, g0)])
        out.append(_instance(f"pl_hard(H0={H0:g},H1={H1:g},mu={mu:g})", "pl-hard", p, w0))
    return out


def _build_pl_witness(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import quadratic_problem
    from warmup_theory.theory.bounds import pl_lower_bound_witness

    cases = [(1.0, 1.0, 0.5, 100.0)] if quick else [(1.0, 1.0, 0.5, 100.0), (1.0, 0.1, 0.25, 100.0)]
    out = []
    for H0, H1, mu, g0 in cases:
        eta = 1.0 / (H0 + H1 * g0)
        wt = pl_lower_bound_witness(H0, H1, mu, g0, eta)
        p = quadratic_problem([mu])
        note = (f"witness of Thm 4.1(3) (corrected): q(w) = {wt.expr} (a member of the class H0={H0:g}, "
                f"H1={H1:g}, mu={mu:g}) from w0 = {wt.w0:.6g}; rows use the class constants")
        out.append(_instance(f"pl_witness(H0={H0:g},H1={H1:g},mu={mu:g})", "pl-witness", p,
                             np.array([wt.w0]), H0=H0, H1=H1, mu=mu, theta=1.0, witness=True, notes=note))
    return out


def _build_aiming_witness(quick: bool, seed: int) -> list[Instance]:
    """Thm 4.1(1–2) witness (toolkit's form, :func:`warmup_theory.theory.bounds.aiming_fixed_lower_iterations`):
    q_λ(w) = (λ/2)w², λ = min(H0, 2·gap0/d0², 2e·eps/d0²), started at w0 = d0, in the θ-aiming class
    (H0, H1, θ = 1) with start gap <= gap0 and dist0 = d0.  Rows show the CLASS gap0 (the bound's
    parameter; the fixed step is computed from it) — the problem name says ``class gap0=…`` — and
    the run's own start gap λd0²/2 is in the notes."""
    from warmup_theory.numerics.problems import quadratic_problem

    eps = 1e-2
    cases = [(1.0, 1.0, 10.0, 1.0)] if quick else [(1.0, 1.0, 10.0, 1.0), (1.0, 1.0, 100.0, 1.0)]
    out = []
    for H0, H1, g0, d0 in cases:
        lam = min(H0, 2 * g0 / d0**2, 2 * math.e * eps / d0**2)
        p = quadratic_problem([lam])
        w0 = np.array([d0])
        start = _gap(p, w0)
        note = (f"witness of Thm 4.1(1-2) (toolkit's form): q(w) = ({lam:.6g}/2) w^2 from w0 = dist0 = {d0:g}, "
                f"a member of the theta-aiming class (H0={H0:g}, H1={H1:g}, theta=1); its start gap is "
                f"{start:.6g} <= gap0 = {g0:g} (the class parameter shown in the row and used for the step and "
                f"every bound); lambda = min(H0, 2 gap0/d0^2, 2e eps/d0^2), eps = {eps:g}")
        out.append(Instance(label=f"aiming_witness(H0={H0:g},H1={H1:g},class gap0={g0:g})", family="aiming-witness",
                            problem=p, w0=w0, H0=H0, H1=H1, mu=None, theta=1.0, f_star=0.0, gap0=g0, dist0=d0,
                            witness=True, notes=note))
    return out


def _build_quadratic(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import quadratic_problem

    rng = np.random.default_rng(seed)
    cases = [(np.linspace(0.1, 1.0, 10), 0.0)] if quick else \
        [(np.linspace(0.1, 1.0, 10), 0.0), (np.array([0.5, 1.0, 4.0]), 1.0)]
    out = []
    for k, (eigs, H1) in enumerate(cases):
        p = quadratic_problem(eigs, H1=H1, seed=seed + k)
        w0 = start_at_gap(p, _center(p), rng.standard_normal(p.dim), 10.0)
        out.append(_instance(f"quadratic(d={p.dim},L={eigs.max():g},mu={eigs.min():g},H1={H1:g})",
                             "quadratic", p, w0))
    return out


def _build_quartic(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import quartic_problem

    cases = [(1.0, 1.0, 4, 16.0)] if quick else [(1.0, 1.0, 4, 16.0), ([1.0, 2.0], 20.0, 6, 4.0)]
    rng = np.random.default_rng(seed + 100)
    out = []
    for coeffs, H1, power, g0 in cases:
        p = quartic_problem(coeffs, H1=H1, power=power)
        u = np.ones(1) if p.dim == 1 else rng.standard_normal(p.dim)
        w0 = start_at_gap(p, np.zeros(p.dim), u, g0)
        name = "w^4" if (power == 4 and p.dim == 1) else f"sum c_i w_i^{power}(d={p.dim})"
        out.append(_instance(f"{name}(H1={H1:g})", "quartic", p, w0))
    return out


def _build_random(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import random_class_member

    n = 1 if quick else 4
    rng = np.random.default_rng(seed + 200)
    out = []
    for i in range(n):
        s = seed * 1000 + i
        p = random_class_member(s, dim=2, n_terms=3, pl=True)
        w0 = start_at_gap(p, _center(p), rng.standard_normal(p.dim), 10.0)
        out.append(_instance(f"random_member(seed={s})", "random-class", p, w0))
    return out


def _pl_ratio_estimate(problem: Any, w0: np.ndarray, alpha: float, beta: float, eps: float,
                       max_steps: int) -> tuple[Any, int, np.ndarray]:
    """PL ratio |∇f(w_k)|²/(2(f(w_k) − f*)) along one GD run with η_k = 1/(alpha + beta·gap_k).

    A plain single-run loop used ONLY to estimate a constant that cannot be certified (the table's
    runs are batched); returns (Estimate(m, 0, m), steps, final w) with m = the minimum ratio: the
    PL constant is at most the ratio at every point, so μ <= m; nothing certifies a lower end above 0.
    """
    from warmup_theory.numerics.table.rows import Estimate

    w = torch.as_tensor(w0.reshape(1, -1), dtype=torch.float64).clone()
    ratios = []
    for k in range(max_steps + 1):
        wr = w.detach().requires_grad_(True)
        fv = problem.f(wr)
        (g,) = torch.autograd.grad(fv.sum(), wr)
        gap = float(fv.detach()[0]) - float(problem.f_star)
        if gap <= eps or not math.isfinite(gap):
            break
        ratios.append(float((g * g).sum()) / (2 * gap))
        w = (w - g / (alpha + beta * gap)).detach()
    r = np.array(ratios) if ratios else np.array([math.nan])
    est = Estimate(float(r.min()), 0.0, float(r.min()),
                   f"min of the PL ratio |grad f|^2/(2(f - f*)) over the {len(ratios)} iterates of one "
                   f"warmup-family run from w0 (max {float(r.max()):.4g}); the true mu is <= that min and only "
                   "0 is certified below it: an upper estimate along one trajectory, not a certificate")
    return est, len(ratios), w.numpy().reshape(-1)


def _build_deep_linear(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.models.data import regression_data
    from warmup_theory.numerics.models.deep_linear import (
        balanced_deep_linear,
        balancedness_residual,
        deep_linear_loss_batched,
        n_params,
        unflatten_weights,
    )
    from warmup_theory.numerics.problems import Problem
    from warmup_theory.theory.architectures.deep_linear import deep_linear_constants
    from warmup_theory.theory.bounds import BEST_ADAPTIVE_FAMILY

    g = torch.Generator().manual_seed(seed)
    data = regression_data(3, 2, 8, generator=g)
    cases = [(3, 4, 2)]
    out = []
    for widths in cases:
        depth = len(widths) - 1
        c = deep_linear_constants(depth, data.x_norm, data.x_lambda_min, data.y_norm, data.f_star)
        bw = balanced_deep_linear(widths, generator=g, scale=0.5)
        shared = {"X": data.X, "Y": data.Y}

        def fn(W: torch.Tensor, prm: Any, _w: tuple = widths) -> torch.Tensor:
            return deep_linear_loss_batched(W, prm["X"], prm["Y"], _w)
        p = Problem(name=f"deep_linear{widths}", dim=n_params(widths), f=lambda W, _fn=fn, _s=shared: _fn(W, _s),
                    fn=fn, shared_params=shared, f_star=data.f_star, H0=float(c.H0),
                    H1=float(c.H1), mu=None, theta=None, minimiser_dist=None,
                    provenance="warmup_theory.theory.architectures.deep_linear_constants (corrected Prop 3.2): certified on "
                               "strongly balanced weights, X of full row rank; f* exact (Eckart-Young)",
                    family="deep_linear")
        w0 = bw.theta.numpy().reshape(-1)
        gap0 = _gap(p, w0)
        a, b = BEST_ADAPTIVE_FAMILY
        mu_est, n, w_end = _pl_ratio_estimate(p, w0, a * c.H0, b * c.H1, 1e-2, 2000)
        drift = balancedness_residual(unflatten_weights(torch.as_tensor(w_end), widths))
        note = (f"(H0,H1) certified only on strongly balanced weights; GD leaves that set: balancedness residual "
                f"{bw.residual:.1e} at w0, {drift:.1e} after {n} warmup-family steps, so H0, H1 are ESTIMATES "
                f"along these runs (shown ~, checks using them are undecided). mu is an ESTIMATE: "
                f"{mu_est.how}; bounds using it are labelled estimates, not theorem checks. "
                f"{p.provenance}")
        out.append(Instance(label=f"deep_linear{widths} (MSE, balanced init)", family="deep-linear", problem=p,
                            w0=w0, H0=float(c.H0), H1=float(c.H1), mu=mu_est, theta=None, f_star=data.f_star,
                            gap0=gap0, dist0=None, notes=note, estimated=("H0", "H1")))
    return out


def _build_two_layer_ce(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.models.two_layer import (
        one_unit_f_star_bracket,
        sine_activation,
        sine_activation_constants,
        two_layer_ce_loss_batched,
    )
    from warmup_theory.numerics.problems import Problem
    from warmup_theory.theory.architectures.two_layer_ce import two_layer_ce_constants
    from warmup_theory.theory.bounds import BEST_ADAPTIVE_FAMILY

    rng = np.random.default_rng(seed + 300)
    xv = rng.standard_normal(2)
    X = torch.as_tensor(xv.reshape(1, 2, 1), dtype=torch.float64)
    lab = torch.ones(1, 1, dtype=torch.float64)
    xn = float(np.linalg.norm(xv))
    a, om, l1, l2 = 0.5, 2.0, 0.5, 0.5
    lo, hi = one_unit_f_star_bracket(xn, l1, l2, a, om)
    C1, C2, C3 = sine_activation_constants(a, om)
    c = two_layer_ce_constants(xn, C1, C2, C3, l1, l2, hi)      # H0 increases with f*: hi is safe
    act = sine_activation(a, om)
    shared = {"X": X, "lab": lab, "l1": torch.tensor(l1, dtype=torch.float64),
              "l2": torch.tensor(l2, dtype=torch.float64)}

    def fn(W: torch.Tensor, prm: Any) -> torch.Tensor:
        return two_layer_ce_loss_batched(W, prm["X"], prm["lab"], hidden=1, k=1, lam1=prm["l1"], lam2=prm["l2"],
                                         activation=act)
    p = Problem(name="two_layer_ce", dim=3, f=lambda W: fn(W, shared), fn=fn, shared_params=shared, f_star=lo, H0=float(c.H0), H1=float(c.H1), mu=None, theta=None,
                minimiser_dist=None, family="two_layer_ce",
                provenance="warmup_theory.theory.architectures.two_layer_ce_constants (corrected Prop 3.3 H0, evaluated at the "
                           "upper end of the f* bracket)")
    w0 = np.array([-2.0, *(xv / xn)])
    a_, b_ = BEST_ADAPTIVE_FAMILY
    mu_est, n, _ = _pl_ratio_estimate(p, w0, a_ * c.H0, b_ * c.H1, 1e-2, 2000)
    note = (f"one hidden unit, one sample, binary CE (summed) + L2 (lam1 = lam2 = {l1:g}), "
            f"phi(s) = s + ({a:g}/{om:g}) sin({om:g}s) with exact C1 = C2 = {C1:g}, C3 = {C3:g}; "
            f"f* in the certified bracket [{lo:.10g}, {hi:.10g}] (one_unit_f_star_bracket); gaps are measured "
            f"from the lower end, so f - f*_lo <= eps implies f - f* <= eps, and (H0 at f*_hi, H1) stay valid "
            f"for f - f*_lo >= f - f*; mu is an ESTIMATE: {mu_est.how}. {p.provenance}")
    return [Instance(label="two_layer_ce(h=1,sine act.)", family="two-layer-ce", problem=p, w0=w0, H0=float(c.H0),
                     H1=float(c.H1), mu=mu_est, theta=None, f_star=lo, gap0=_gap(p, w0), dist0=None, notes=note)]


FAMILIES: tuple[Family, ...] = (
    Family("cosh", _build_cosh, 1e-6, 1e-4, record=True, doc="cosh extremal function"),
    Family("pl-hard", _build_pl_hard, 1e-6, 1e-4, doc="PL hard function of Thm 4.1(3)"),
    Family("pl-witness", _build_pl_witness, 1e-6, 1e-4, doc="the lower bound's witness member"),
    Family("aiming-witness", _build_aiming_witness, 1e-2, 1e-2, doc="the aiming lower bound's witness member"),
    Family("quadratic", _build_quadratic, 1e-6, 1e-4, doc="quadratics"),
    Family("quartic", _build_quartic, 1e-3, 1e-2, doc="w^4 and convex polynomials (sublinear: larger eps)"),
    Family("random-class", _build_random, 1e-6, 1e-4, doc="random members by the closure rules"),
    Family("deep-linear", _build_deep_linear, 1e-2, 1e-2, doc="balanced deep linear networks, MSE (mu estimated)",
           in_quick=False),
    Family("two-layer-ce", _build_two_layer_ce, 1e-2, 1e-2, doc="two-layer CE + L2 network (mu estimated)",
           in_quick=False),
)
FAMILY_NAMES: tuple[str, ...] = tuple(f.name for f in FAMILIES)
#: The families of ``--quick`` (the slow network families only run when asked for or in the default set).
QUICK_FAMILY_NAMES: tuple[str, ...] = tuple(f.name for f in FAMILIES if f.in_quick)


def family(name: str) -> Family:
    for f in FAMILIES:
        if f.name == name:
            return f
    raise ValueError(f"unknown problem family {name!r}; valid: {', '.join(FAMILY_NAMES)}")
