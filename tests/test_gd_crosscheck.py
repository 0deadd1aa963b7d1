"""Issue 3 cross-checks: float64 GD runs (warmup_theory.numerics.gd) against the proven bounds
(warmup_theory.theory.bounds).

* observed iterations <= every upper bound (Thm 4.3 corrected, the toolkit's Thm 4.2, the fixed-step upper
  bounds) and <= the recursion bounds, which sit below the closed forms;
* the lower-bound witness that warmup_theory.theory.bounds names needs >= the lower bound
  (Thm 4.1(3) corrected, 4.1(1–2));
* the class-stable fixed step 2/(H0 + H1·gap0) never diverges (and the gap never increases) on members of
  the class, while a step just above η̄ increases the gap on one of theory's witnesses;
* the checks have teeth: halved upper bounds / doubled lower bounds ARE violated on these same runs.

Instances are drawn by hypothesis; every family runs as one batched GD program (instances × schedules).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

bounds = pytest.importorskip("warmup_theory.theory.bounds")

from warmup_theory.numerics.gd import run_gd  # noqa: E402
from warmup_theory.numerics.problems import (  # noqa: E402
    Problem,
    cosh_problem,
    gallery_problem,
    pl_hard_problem,
    quadratic_problem,
    quartic_frontier,
    quartic_problem,
    random_class_member,
    random_class_members,
)

CPU = "cpu"
SLACK = 1e-12  # relative rounding slack on "the gap never increases"
BUDGET = 10_000  # instances whose proven bounds exceed this many iterations are skipped (test time only)


def violations(observed: np.ndarray, bound: np.ndarray, kind: str = "upper") -> np.ndarray:
    """Indices where an upper bound (observed <= bound) or lower bound (observed >= bound) fails.

    A run that did not converge (observed = -1) violates every finite upper bound."""
    observed = np.asarray(observed, dtype=float)
    bound = np.asarray(bound, dtype=float)
    if kind == "upper":
        bad = (observed < 0) | (observed > bound)
    else:
        bad = (observed >= 0) & (observed < bound)
    return np.flatnonzero(bad)


# --------------------------------------------------------------------------------------------------
# drawing PL instances as batched problems

def _pl_family(kind: str, params: list[tuple[float, float, float, float]], seed: int,
               keep: np.ndarray | None = None, reps: int = 1) -> tuple[Problem, np.ndarray]:
    """(batched problem, W0) for PL instances (u, v, x, s) drawn in [0, 1]^4 (constants, start scale);
    ``keep``: the instances to use; ``reps``: the batch repeats them (one block per schedule)."""
    rng = np.random.default_rng(seed)
    u, v, x, s = (np.array(c) for c in zip(*params))
    H0 = 0.2 + 4.8 * u
    H1 = 0.05 + 4.95 * v
    sign = np.where(rng.random(len(u)) < 0.5, -1.0, 1.0)
    keep = np.arange(len(u)) if keep is None else np.asarray(keep)
    if kind == "cosh":
        p = cosh_problem(np.tile(H0[keep], reps), np.tile(H1[keep], reps))
        W0 = (sign * (0.05 + 7.0 * s) / np.sqrt(H1))[:, None]
    elif kind == "pl_hard":
        mu = H0 * (0.05 + 0.95 * x)
        p = pl_hard_problem(np.tile(H0[keep], reps), np.tile(H1[keep], reps), np.tile(mu[keep], reps))
        W0 = (sign * (0.05 + 7.0 * s) / np.sqrt(H1))[:, None]
    else:  # random PL members of the closure class (2-D, 3 terms)
        seeds = [int(1000 * a) + 7 * i for i, a in enumerate(u)]
        p = random_class_members([seeds[i] for i in keep] * reps, dim=2, n_terms=3, pl=True)
        W0 = rng.standard_normal((len(u), 2)) * (0.3 + 2.0 * s)[:, None]
    return p, np.tile(W0[keep], (reps, 1))


_unit = st.floats(0.0, 1.0)
_inst = st.tuples(_unit, _unit, _unit, _unit)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(kind=st.sampled_from(["cosh", "pl_hard", "random_pl"]), inst=st.lists(_inst, min_size=2, max_size=10),
       log_eps=st.floats(-9.0, -2.0), seed=st.integers(0, 2**16))
def test_pl_upper_bounds_hold(kind, inst, log_eps, seed):
    base, W0 = _pl_family(kind, inst, seed)
    eps = 10.0**log_eps
    H0, H1, mu = np.asarray(base.H0), np.asarray(base.H1), np.asarray(base.mu)
    gap0 = base.gap(W0)
    closed_ad = np.array([bounds.pl_adaptive_iterations(H0[i], H1[i], mu[i], gap0[i], eps) for i in range(len(inst))])
    closed_fx = np.array([bounds.pl_fixed_iterations(H0[i], H1[i], mu[i], gap0[i], eps) for i in range(len(inst))])
    keep = np.flatnonzero(np.maximum(closed_ad, closed_fx) <= BUDGET)    # compute budget only
    assume(keep.size > 0)
    H0, H1, mu, gap0 = H0[keep], H1[keep], mu[keep], gap0[keep]
    closed_ad, closed_fx = closed_ad[keep], closed_fx[keep]
    p, W0 = _pl_family(kind, inst, seed, keep=keep, reps=3)
    np.testing.assert_allclose(p.gap(W0), np.tile(gap0, 3), rtol=1e-14)
    n = keep.size
    L0 = H0 + H1 * gap0
    a1, b1 = bounds.BEST_ADAPTIVE_FAMILY
    # schedules: Eq. (1), the best proven family (a, b), fixed 1/L0 (the default of pl_fixed_iterations)
    alpha = np.concatenate([10 * H0, a1 * H0, L0])
    beta = np.concatenate([20 * H1, b1 * H1, np.zeros(n)])
    # a run that needs more than every bound ends as max_iter (iterations -1) and is flagged below
    max_iter = int(max(closed_ad.max(), closed_fx.max())) + 1
    r = run_gd(p, W0, alpha, beta, eps=eps, max_iter=max_iter, device=CPU)
    obs = r.iterations.reshape(3, n)
    rec_ad = [bounds.pl_adaptive_recursion_iterations(H0[i], H1[i], mu[i], gap0[i], eps) for i in range(n)]
    rec_fam = [bounds.pl_adaptive_recursion_iterations(H0[i], H1[i], mu[i], gap0[i], eps, a=a1, b=b1)
               for i in range(n)]
    rec_fx = [bounds.pl_fixed_recursion_iterations(H0[i], H1[i], mu[i], gap0[i], eps, eta=1.0 / L0[i])
              for i in range(n)]
    assert all(x.converged for x in rec_ad + rec_fam + rec_fx)
    rec_ad_it = np.array([x.iterations for x in rec_ad])
    rec_fx_it = np.array([x.iterations for x in rec_fx])
    rec_fam_it = np.array([x.iterations for x in rec_fam])
    assert violations(obs[0], closed_ad).size == 0, (obs[0], closed_ad)
    assert violations(obs[0], rec_ad_it).size == 0, (obs[0], rec_ad_it)
    assert violations(rec_ad_it, closed_ad).size == 0          # recursion sits below the closed form
    ok = rec_fam_it <= max_iter                                # (family runs are capped by max_iter)
    assert violations(obs[1][ok], rec_fam_it[ok]).size == 0
    assert violations(obs[2], closed_fx).size == 0, (obs[2], closed_fx)
    assert violations(obs[2], rec_fx_it).size == 0
    assert violations(rec_fx_it, closed_fx).size == 0
    assert "diverged" not in r.status


@settings(max_examples=10, deadline=None, derandomize=True)
@given(kind=st.sampled_from(["cosh", "pl_hard", "quadratic", "quartic", "sextic", "random", "gallery"]),
       seed=st.integers(0, 2**16), log_eps=st.floats(-5.0, -1.0), scale=st.floats(0.2, 3.0))
def test_aiming_upper_bounds_hold(kind, seed, log_eps, scale):
    """Every problem here is convex (θ = 1): Thm 4.2 (toolkit's proof) and the fixed-step aiming bound."""
    rng = np.random.default_rng(seed)
    eps = 10.0**log_eps
    if kind == "cosh":
        p = cosh_problem(rng.uniform(0.2, 4), rng.uniform(0.05, 4))
    elif kind == "pl_hard":
        h0 = rng.uniform(0.2, 4)
        p = pl_hard_problem(h0, rng.uniform(0.05, 4), h0 * rng.uniform(0.05, 1))
    elif kind == "quadratic":
        p = quadratic_problem(rng.uniform(0.0, 3.0, 3), H1=rng.uniform(0, 2), seed=seed)
    elif kind == "quartic":
        p = quartic_problem(rng.uniform(0.2, 2.0, 2), H1=rng.uniform(0.2, 3.0))
    elif kind == "sextic":
        p = quartic_problem(rng.uniform(0.2, 1.0, 1), H1=rng.uniform(2.0, 6.0), power=6)
        eps = max(eps, 1e-2)
    elif kind == "gallery":
        name = ["logcosh", "quartic_plus_quadratic", "sep_logcosh", "quad_form", "quartic"][seed % 5]
        p = gallery_problem(name, H1=rng.uniform(0.5, 3.0))
    else:
        p = random_class_member(seed, dim=3, n_terms=int(rng.integers(1, 5)))
    H0, H1, theta = p.H0, p.H1, p.theta
    m = 4
    W0 = rng.standard_normal((m, p.dim)) * scale / max(1.0, math.sqrt(H1))
    gap0 = p.gap(W0)
    dist0 = p.minimiser_dist(torch.as_tensor(W0)).numpy()
    eta_fx = np.array([bounds.aiming_fixed_default_step(H0, H1, theta, g) for g in gap0])  # its default step
    alpha = np.concatenate([np.full(m, 10 * H0), 1.0 / eta_fx])
    beta = np.concatenate([np.full(m, 20 * H1), np.zeros(m)])
    up_ad = [bounds.aiming_adaptive_iterations(H0, H1, theta, dist0[i], eps, gap0=gap0[i]) for i in range(m)]
    up_fx = [bounds.aiming_fixed_iterations(H0, H1, theta, gap0[i], dist0[i], eps) for i in range(m)]
    up = np.array(up_ad + up_fx)
    # compute budget: a run stopped by max_iter below its bound is undecided (not counted either way)
    max_iter = int(min(up.max() + 1, 4 * BUDGET))
    r = run_gd(p, np.tile(W0, (2, 1)), alpha, beta, eps=eps, max_iter=max_iter, device=CPU)
    decided = ~((r.iterations < 0) & (up > max_iter))
    assert decided.mean() >= 0.5, (p.name, r.counts())
    assert violations(r.iterations[decided], up[decided]).size == 0, (p.name, r.iterations, up)


@pytest.mark.parametrize("name,H1", [("quartic_plus_quadratic", 1.0), ("quartic_plus_quadratic", 10.0),
                                     ("quad_form", 0.5), ("quadratic", 2.0), ("cosh_extremal", 0.25)])
def test_pl_upper_bounds_on_gallery(name, H1):
    p = gallery_problem(name, H1=H1)
    W0 = np.array([[0.3], [1.0], [2.5]]) * np.ones((1, p.dim))
    eps = 1e-7
    gap0 = p.gap(W0)
    L0 = p.H0 + p.H1 * gap0
    r = run_gd(p, np.tile(W0, (2, 1)), np.concatenate([np.full(3, 10 * p.H0), L0]),
               np.concatenate([np.full(3, 20 * p.H1), np.zeros(3)]), eps=eps, device=CPU)
    obs = r.iterations.reshape(2, 3)
    up_ad = [bounds.pl_adaptive_iterations(p.H0, p.H1, p.mu, g, eps) for g in gap0]
    rec_ad = [bounds.pl_adaptive_recursion_iterations(p.H0, p.H1, p.mu, g, eps).iterations for g in gap0]
    up_fx = [bounds.pl_fixed_iterations(p.H0, p.H1, p.mu, g, eps) for g in gap0]
    assert violations(obs[0], rec_ad).size == 0 and violations(obs[0], up_ad).size == 0, (obs[0], rec_ad)
    assert violations(obs[1], up_fx).size == 0, (obs[1], up_fx)


# --------------------------------------------------------------------------------------------------
# class-stable fixed step

@settings(max_examples=4, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**16), frac=st.floats(0.5, 1.0))
def test_class_stable_fixed_step_never_diverges(seed, frac):
    """η = frac · 2/(H0 + H1·gap0) (pl_fixed_step = aiming_fixed_step) on every family: no run diverges and
    the gap never increases (the definition of class-stable in warmup_theory.theory.bounds.steps)."""
    rng = np.random.default_rng(seed)
    probs = [cosh_problem(rng.uniform(0.2, 4), rng.uniform(0.05, 4)),
             pl_hard_problem(2.0, rng.uniform(0.05, 4), rng.uniform(0.1, 2.0)),
             quadratic_problem(rng.uniform(0.0, 3.0, 3), H1=rng.uniform(0, 2), seed=seed),
             quartic_problem(rng.uniform(0.2, 2.0, 2), H1=rng.uniform(0.2, 3.0)),
             random_class_member(seed, dim=2, n_terms=3),
             random_class_member(seed + 1, dim=3, n_terms=3, pl=True)]
    for p in probs:
        W0 = rng.standard_normal((6, p.dim)) * rng.uniform(0.5, 6.0) / max(1.0, math.sqrt(p.H1))
        gap0 = p.gap(W0)
        mu = p.mu if p.mu is not None else 1.0
        eta = frac * np.array([bounds.pl_fixed_step(p.H0, p.H1, mu, g) for g in gap0])
        eta_a = np.array([bounds.aiming_fixed_step(p.H0, p.H1, p.theta, g) for g in gap0])
        np.testing.assert_allclose(eta / frac, eta_a, rtol=1e-15)
        r = run_gd(p, W0, 1.0 / eta, 0.0, eps=1e-300, max_iter=150, record=True, device=CPU)
        assert "diverged" not in r.status, (p.name, r.status)
        assert not r.gap_increased.any(), (p.name, frac, r.first_increase)   # the engine's own monitor agrees
        gh = r.gap_history
        inc = gh[1:] > gh[:-1] * (1 + SLACK) + 1e-300
        assert not np.any(inc[np.isfinite(gh[1:])]), (p.name, frac)


@settings(max_examples=5, deadline=None, derandomize=True)
@given(h0=st.floats(0.2, 4.0), h1=st.floats(0.1, 4.0), x=st.floats(0.05, 1.0), log_gap=st.floats(-1.0, 2.0))
def test_step_above_eta_bar_is_not_class_stable(h0, h1, x, log_gap):
    """Just above η̄ = pl_fixed_step_upper, GD increases the gap on the cosh function or the hard function
    started at gap gap0 (cosh_start / pl_hard_start): no larger step is class-stable."""
    from warmup_theory.theory.hard_functions import cosh_start, pl_hard_start

    mu = h0 * x
    gap0 = 10.0**log_gap
    eta_bar = bounds.pl_fixed_step_upper(h0, h1, mu, gap0)
    eta = eta_bar * (1 + 1e-6)
    c, hpb = cosh_problem(h0, h1), pl_hard_problem(h0, h1, mu)
    rc = run_gd(c, [[cosh_start(h0, h1, gap0)]], 1 / eta, 0.0, eps=1e-300, max_iter=1, record=True, device=CPU)
    rh = run_gd(hpb, [[pl_hard_start(h1, mu, gap0)]], 1 / eta, 0.0, eps=1e-300, max_iter=1, record=True,
                device=CPU)
    np.testing.assert_allclose([rc.gap0[0], rh.gap0[0]], gap0, rtol=1e-9)
    grew = [float(r.gap_history[1, 0] - r.gap_history[0, 0]) for r in (rc, rh)]
    assert max(grew) > 0, grew
    # and at η̄ (1 − 1e-6) neither grows
    eta = eta_bar * (1 - 1e-6)
    rc = run_gd(c, [[cosh_start(h0, h1, gap0)]], 1 / eta, 0.0, eps=1e-300, max_iter=1, record=True, device=CPU)
    rh = run_gd(hpb, [[pl_hard_start(h1, mu, gap0)]], 1 / eta, 0.0, eps=1e-300, max_iter=1, record=True,
                device=CPU)
    assert all(r.gap_history[1, 0] <= r.gap_history[0, 0] * (1 + 1e-9) for r in (rc, rh))


# --------------------------------------------------------------------------------------------------
# lower-bound witnesses

@settings(max_examples=5, deadline=None, derandomize=True)
@given(h0=st.floats(0.2, 4.0), h1=st.floats(0.0, 4.0), x=st.floats(0.02, 1.0), log_gap=st.floats(-1.0, 2.5),
       log_eps=st.floats(-9.0, -3.0), fracs=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=4))
def test_pl_lower_bound_witness_needs_at_least_the_bound(h0, h1, x, log_gap, log_eps, fracs):
    mu, gap0, eps = h0 * x, 10.0**log_gap, 10.0**log_eps
    eta_bar = bounds.pl_fixed_step_upper(h0, h1, mu, gap0)
    etas = [f * eta_bar for f in fracs] + [eta_bar]
    wts = [bounds.pl_lower_bound_witness(h0, h1, mu, gap0, e, eps=eps) for e in etas]
    p = quadratic_problem([mu], H1=h1)                      # the member theory names: (μ/2)w²
    w = wts[0].w
    assert sp.simplify(wts[0].expr - p.expr().subs(p.symbols[0], w)) == 0
    W0 = np.array([[wt.w0] for wt in wts])
    r = run_gd(p, W0, 1.0 / np.array(etas), 0.0, eps=eps, max_iter=2_000_000, device=CPU)
    np.testing.assert_allclose(r.gap0, gap0, rtol=1e-12)
    lower_each = [bounds.pl_fixed_lower_iterations(h0, h1, mu, gap0, eps, eta=e) for e in etas]
    lower_all = bounds.pl_fixed_lower_iterations(h0, h1, mu, gap0, eps)
    assert violations(r.iterations, lower_each, "lower").size == 0, (r.iterations, lower_each)
    assert violations(r.iterations, [lower_all] * len(etas), "lower").size == 0
    assert "diverged" not in r.status and "max_iter" not in r.status
    exact = np.array([wt.exact_iterations for wt in wts])
    assert np.all(np.abs(r.iterations - exact) <= 1), (r.iterations, exact)   # ±1: float rounding at ties


@settings(max_examples=5, deadline=None, derandomize=True)
@given(h0=st.floats(0.2, 4.0), h1=st.floats(0.0, 4.0), log_gap=st.floats(-1.0, 1.0), log_d=st.floats(-1.0, 0.5),
       log_eps=st.floats(-3.0, -1.0))
def test_aiming_lower_bound_witness(h0, h1, log_gap, log_d, log_eps):
    """Thm 4.1(1–2) (toolkit's form): q_λ = (λ/2)w² started at dist0 with the largest class-stable step."""
    gap0, d0, eps = 10.0**log_gap, 10.0**log_d, 10.0**log_eps
    lower = bounds.aiming_fixed_lower_iterations(h0, h1, 1.0, gap0, d0, eps)
    assume(lower <= BUDGET)                                    # compute budget only
    lam = min(h0, 2 * gap0 / d0**2, 2 * math.e * eps / d0**2)   # the member named in warmup_theory.theory.bounds.aiming
    eta_bar = bounds.aiming_fixed_step_upper(h0, h1, 1.0, gap0)
    p = quadratic_problem([lam], H1=h1)
    r = run_gd(p, [[d0], [d0]], [1.0 / eta_bar, 2.0 / eta_bar], 0.0, eps=eps, max_iter=int(lower) + 10,
               device=CPU)
    # a run still above eps after max_iter >= lower steps satisfies the lower bound too
    obs = np.where(np.array(r.status) == "max_iter", r.stopped_at + 1, r.iterations)
    assert "diverged" not in r.status
    assert violations(obs, [lower, lower], "lower").size == 0, (r.iterations, lower)


# --------------------------------------------------------------------------------------------------
# teeth: the same checks DO fail on wrong bounds

def test_halved_upper_bounds_and_doubled_lower_bounds_are_violated():
    base, W0 = _pl_family("cosh", [(0.2, 0.2, 0.5, 0.1), (0.5, 0.6, 0.5, 0.4), (0.9, 0.3, 0.5, 0.8)], 0)
    eps = 1e-8
    H0, H1, mu = np.asarray(base.H0), np.asarray(base.H1), np.asarray(base.mu)
    gap0 = base.gap(W0)
    r = run_gd(base, W0, 10 * H0, 20 * H1, eps=eps, device=CPU)
    rec = np.array([bounds.pl_adaptive_recursion_iterations(H0[i], H1[i], mu[i], gap0[i], eps).iterations
                    for i in range(3)])
    assert violations(r.iterations, rec).size == 0
    assert violations(r.iterations, 0.5 * rec).size > 0          # a halved bound is caught
    # lower bound: the witness run violates twice the corrected lower bound, and the PRINTED Thm 4.1(3)
    h0 = h1 = 1.0
    for mu1, gap, eta_frac in [(0.5, 10.0, 1.0), (0.2, 3.0, 0.5)]:
        eta_bar = bounds.pl_fixed_step_upper(h0, h1, mu1, gap)
        wt = bounds.pl_lower_bound_witness(h0, h1, mu1, gap, eta_frac * eta_bar, eps=eps)
        p = quadratic_problem([mu1], H1=h1)
        rr = run_gd(p, [[wt.w0]], 1 / wt.eta, 0.0, eps=eps, device=CPU)
        low = bounds.pl_fixed_lower_iterations(h0, h1, mu1, gap, eps, eta=wt.eta)
        assert violations(rr.iterations, [low], "lower").size == 0
        assert violations(rr.iterations, [2 * low], "lower").size > 0
    # the printed Thm 4.1(3): an admissible step (η = 1/μ <= η̄ here) reaches the minimiser in one step
    mu1, gap = 1.0, 0.1
    assert 1 / mu1 <= bounds.pl_fixed_step_upper(h0, h1, mu1, gap)
    p = quadratic_problem([mu1], H1=h1)
    rr = run_gd(p, [[math.sqrt(2 * gap / mu1)]], mu1, 0.0, eps=eps, device=CPU)
    printed = bounds.pl_fixed_lower_iterations(h0, h1, mu1, gap, eps, printed=True, eta=1 / mu1)
    assert rr.iterations[0] == 1 and violations(rr.iterations, [printed], "lower").size > 0
    # a run that never converges violates every upper bound
    assert violations(np.array([-1]), np.array([1e9])).size == 1


# --------------------------------------------------------------------------------------------------
# the constants of the catalogue, re-checked independently (dense Hessian, sympy)

def test_quartic_frontier_by_sympy():
    w = sp.Symbol("w", real=True)
    H1 = sp.Symbol("H1", positive=True)
    for power in (4, 6, 8):
        f = w**power
        g = sp.diff(f, w, 2) - H1 * f
        crit = [c for c in sp.solve(sp.diff(g, w), w) if c != 0]
        sup = sp.simplify(max((g.subs(w, c) for c in crit), key=lambda e: float(e.subs(H1, 1))))
        assert sp.simplify(sup - quartic_frontier(H1, power)) == 0
        assert sp.limit(g, w, sp.oo) == -sp.oo                   # the supremum is attained at a critical point
    assert quartic_frontier(H1) == 36 / H1


@pytest.mark.parametrize("make", [
    lambda: quartic_problem([1.0, 0.3], H1=0.7), lambda: quartic_problem([2.0], H1=2.0, power=6),
    lambda: random_class_member(5, dim=3, n_terms=4), lambda: random_class_member(8, dim=2, n_terms=3, pl=True),
    lambda: pl_hard_problem(1.5, 2.0, 1.0), lambda: quadratic_problem([0.0, 1.0, 2.0], H1=0.5, seed=2),
    lambda: gallery_problem("quartic_plus_quadratic", H1=2.0), lambda: gallery_problem("double_well", H1=1.5),
    lambda: gallery_problem("quad_form", H1=1.0), lambda: gallery_problem("logcosh", H1=0.0),
])
def test_constants_hold_on_dense_hessians(make):
    """‖∇²f‖₂ <= H0 + H1(f − f*) (dense float64 Hessian), PL with mu, aiming with theta = 1."""
    p = make()
    rng = np.random.default_rng(0)
    W = torch.as_tensor(rng.standard_normal((40, p.dim)) * rng.uniform(0.05, 2.5, (40, 1)))
    for w in W:
        H = torch.autograd.functional.hessian(lambda v: p.f(v[None])[0], w)
        f = float(p.f(w[None])[0]) - p.f_star
        assert float(torch.linalg.eigvalsh(H).abs().max()) <= (p.H0 + p.H1 * f) * (1 + 1e-10) + 1e-12
        wg = w.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(p.f(wg[None])[0], wg)
        if p.mu is not None:
            assert float(g @ g) >= 2 * p.mu * f * (1 - 1e-10) - 1e-14
    # tightness on the quartic: at w² = 6/H1 (first coordinate with the largest coefficient) equality holds
    if p.family == "monomial" and p.info["power"] == 4:
        i = int(np.argmax(p.info["coeffs"]))
        w = torch.zeros(p.dim, dtype=torch.float64)
        w[i] = math.sqrt(6 / p.H1)
        H = torch.autograd.functional.hessian(lambda v: p.f(v[None])[0], w)
        f = float(p.f(w[None])[0])
        assert float(H.abs().max()) == pytest.approx(p.H0 + p.H1 * f, rel=1e-12)
