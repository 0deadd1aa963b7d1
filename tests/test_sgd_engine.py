"""run_sgd: full batch = run_gd, seeded reproducibility, censoring/statuses, the distance monitor, families'
constants against a dense float64 Hessian, and the statistical cross-checks over >= 200 seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from warmup_theory.numerics.gd import run_gd, run_sgd
from warmup_theory.numerics.problems.shared_minimiser import (
    consistent_least_squares,
    no_interpolation_pair,
    shared_minimiser_sum,
)
from warmup_theory.theory import stochastic_witness as SW
from warmup_theory.theory.bounds import sgd_aiming_adaptive_iterations, sgd_pl_adaptive_iterations


def _start(p, R: int, shift: float = 1.0) -> torch.Tensor:
    c = np.asarray(p.info.get("c", p.info.get("w_true")))
    return torch.as_tensor(np.tile(c + shift / math.sqrt(p.dim), (R, 1)), dtype=torch.float64)


def test_full_batch_sgd_equals_gd() -> None:
    p = consistent_least_squares(n=6, dim=3, seed=2)
    W = _start(p, 3)
    r1 = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=6, eps=1e-8, seed=5)
    r2 = run_gd(p, W, 10 * p.H0, 20 * p.H1, eps=1e-8)
    assert r1.iterations.tolist() == r2.iterations.tolist()


def test_seeded_and_validated() -> None:
    p = shared_minimiser_sum(("logcosh", "pl_hard"), n=8, dim=2, seed=1)
    W = _start(p, 16)
    a = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=2, eps=1e-3, seed=3)
    b = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=2, eps=1e-3, seed=3, replacement=False)
    c = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=2, eps=1e-3, seed=4)
    assert a.iterations.tolist() == b.iterations.tolist() != c.iterations.tolist()
    for kw, match in ((dict(batch=9), "batch must be in"), (dict(batch=0), "batch must be an integer"),
                      (dict(batch=1, seed=-1), "seed must be")):
        with pytest.raises(ValueError, match=match):
            run_sgd(p, W, 1.0, 0.0, eps=1e-3, **kw)
    with pytest.raises(TypeError, match="FiniteSumProblem"):
        run_sgd(object(), W, 1.0, 0.0, batch=1, eps=1e-3)
    r = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=2, eps=1e-12, seed=0, max_iter=7, record=True, record_every=3)
    assert set(r.status) == {"max_iter"} and r.gap_history.shape == (3, 16) and r.step_history.shape == (3, 16)


def test_a_too_large_fixed_step_is_caught_by_the_distance_monitor() -> None:
    p = consistent_least_squares(n=8, dim=2, seed=0)
    r = run_sgd(p, _start(p, 32), 0.4 * p.H0, 0.0, batch=1, eps=1e-9, seed=0, max_iter=200)
    assert r.dist_increased.any()   # eta = 2.5/H0 > 2θ/(2H0): outside the lemma's range
    r = run_sgd(p, _start(p, 32), 1.1 * p.H0, 0.0, batch=1, eps=1e-9, seed=0, max_iter=200)
    assert not r.dist_increased.any()   # eta = 1/(1.1·H0) < 2θ/(2H0) (least squares: ‖∇f_i‖² <= 2H0·Δ_i): inside


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([("logcosh",), ("pl_hard",), ("quartic_plus_quadratic", "pl_hard")]))
def test_component_constants_hold_on_a_dense_hessian(seed: int, kinds: tuple[str, ...]) -> None:
    p = shared_minimiser_sum(kinds, n=4, dim=2, seed=seed)
    rng = np.random.default_rng(seed)
    for _ in range(5):
        w = torch.as_tensor(np.asarray(p.info["c"]) + rng.normal(0, 1.5, 2), dtype=torch.float64)
        for i in range(p.n):
            def fi(v: torch.Tensor, i: int = i) -> torch.Tensor:
                return p.components(v[None])[0][0, i]
            H = torch.autograd.functional.hessian(fi, w)
            assert float(torch.linalg.matrix_norm(H, 2)) <= (p.H0 + p.H1 * float(fi(w))) * (1 + 1e-9) + 1e-12


def test_statistical_crosscheck_over_200_seeds() -> None:
    """Mean τ below the E-bound (95 % CLT interval: mean + 1.96·sd/√N) and the δ = 0.1 failure rate within a
    one-sided binomial test, on one PL and one aiming-only instance; the witness shows its floor."""
    for p, pl in ((consistent_least_squares(n=16, dim=4, seed=0), True),
                  (shared_minimiser_sum(("logcosh", "pl_hard"), n=16, dim=2, seed=0), False)):
        W = _start(p, 200)
        X0, gap0, eps = float(p.minimiser_dist(W[:1])[0]) ** 2, float(p.f(W[:1])[0]), 1e-3
        kw = dict(batch=2, n=p.n)
        if pl:
            KE = sgd_pl_adaptive_iterations(p.H0, p.H1, p.mu, gap0, eps, dist0=math.sqrt(X0), **kw)
            Kd = sgd_pl_adaptive_iterations(p.H0, p.H1, p.mu, gap0, eps, dist0=math.sqrt(X0), delta=0.1, **kw)
        else:
            KE = sgd_aiming_adaptive_iterations(p.H0, p.H1, 1.0, math.sqrt(X0), eps, **kw)
            Kd = sgd_aiming_adaptive_iterations(p.H0, p.H1, 1.0, math.sqrt(X0), eps, delta=0.1, **kw)
        # horizon past both bounds: a run censored there counts above K_E and past K_δ (with max_iter = 20000 <
        # K_E the aiming instance's two checks could not fail); the runs stop at eps long before
        r = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=2, eps=eps, seed=11, max_iter=int(max(KE, Kd)) + 1)
        tau = np.where(r.iterations >= 0, r.iterations, r.max_iter + 1)
        assert r.max_iter > max(KE, Kd)
        assert tau.mean() + 1.96 * tau.std(ddof=1) / math.sqrt(200) <= KE
        assert binom.sf(int((tau > Kd).sum()) - 1, 200, 0.1) >= 0.01
        assert not r.dist_increased.any()
    pw = no_interpolation_pair(1.0, 0.0)
    r = run_sgd(pw, torch.full((400, 1), 0.5, dtype=torch.float64), 10.0, 0.0, batch=1, eps=1e-300, seed=0,
                max_iter=300, record=True)
    late = r.gap_history[150:].mean(axis=0)
    assert abs(late.mean() - SW.exact_floor(1.0, 10)) <= 5 * late.std(ddof=1) / math.sqrt(400)


def test_expected_gap_at_the_bound_over_200_seeds() -> None:
    """E[f(w_K) − f*] <= ε at K = the expected-gap count: the upper one-sided 99 % CLT bound of the mean gap over
    200 seeds (mean + 2.326·sd/√200) must be <= ε; the runs go on past ε (engine eps = 1e-300)."""
    p = consistent_least_squares(n=16, dim=4, seed=0)
    W = _start(p, 200)
    X0, eps = float(p.minimiser_dist(W[:1])[0]) ** 2, 1e-3
    K = int(sgd_pl_adaptive_iterations(p.H0, p.H1, p.mu, 1.0, eps, batch=2, n=p.n, dist0=math.sqrt(X0),
                                       guarantee="expected-gap"))
    r = run_sgd(p, W, 10 * p.H0, 20 * p.H1, batch=2, eps=1e-300, seed=7, max_iter=K, record=True, record_every=K)
    g = r.gap_history[-1]
    assert set(r.status) == {"max_iter"} and g.mean() + 2.326 * g.std(ddof=1) / math.sqrt(200) <= eps
