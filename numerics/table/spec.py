"""What ``warmup-theory table`` runs: problem families × schedules, with their documented choices.

Problem families (``--problems``; each is one batched GD program, see :mod:`warmup_theory.numerics.table.runner`):

==================  =========================================================================
``cosh``            the extremal function (H0/H1)(cosh(√H1 w) − 1): f'' = H0 + H1 f exactly,
                    μ = H0, θ = 1 (:func:`warmup_theory.numerics.problems.cosh_problem`)
``pl-hard``         the PL hard function of Thm 4.1(3), started where its gap is gap0
                    (:func:`warmup_theory.numerics.problems.pl_hard_problem`,
                    :func:`warmup_theory.theory.hard_functions.pl_hard_start`)
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
['cosh', 'pl-hard', 'pl-witness', 'aiming-witness', 'quadratic', 'quartic', 'random-class', 'deep-linear',
 'two-layer-ce']
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

import numpy as np

from warmup_theory.numerics.table.rows import SCHEDULES

from .architecture_families import _build_deep_linear, _build_two_layer_ce
from .instances import Instance, _center, _gap, _instance, start_at_gap

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
        """The target gap ε this family's rows use (``eps_quick`` under ``--quick``)."""
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
        p = quadratic_problem(eigs.tolist(), H1=H1, seed=seed + k)
        w0 = start_at_gap(p, _center(p), rng.standard_normal(p.dim), 10.0)
        out.append(_instance(f"quadratic(d={p.dim},L={eigs.max():g},mu={eigs.min():g},H1={H1:g})",
                             "quadratic", p, w0))
    return out


def _build_quartic(quick: bool, seed: int) -> list[Instance]:
    from warmup_theory.numerics.problems import quartic_problem

    cases: list[tuple[float | list[float], float, int, float]] = (
        [(1.0, 1.0, 4, 16.0)] if quick else [(1.0, 1.0, 4, 16.0), ([1.0, 2.0], 20.0, 6, 4.0)])
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
    """The :class:`Family` called ``name``; ValueError naming the valid families otherwise."""
    for f in FAMILIES:
        if f.name == name:
            return f
    raise ValueError(f"unknown problem family {name!r}; valid: {', '.join(FAMILY_NAMES)}")
