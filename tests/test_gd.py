"""Semantics of the batched GD engine (numerics/gd.py) and the problem catalogue (numerics/problems/).

Reference: a plain per-run Python loop whose f and ∇f come from the problem's sympy expression
(sympy differentiation + numpy), independent of torch autograd and of the batching/masking code.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.numerics.gd import GDBatchResult, Schedule, run_gd, stack_schedules
from warmup_theory.numerics.problems import (
    Problem,
    cosh_problem,
    gallery_problem,
    pl_hard_problem,
    quadratic_problem,
    quartic_problem,
    random_class_member,
    random_class_members,
)

CPU = "cpu"


def _numpy_fg(problem: Problem, i: int | None = None):
    expr = problem.expr(i)
    syms = problem.symbols
    f = sp.lambdify(syms, expr, modules="numpy")
    grads = [sp.lambdify(syms, sp.diff(expr, s), modules="numpy") for s in syms]
    return (lambda w: float(f(*w))), (lambda w: np.array([float(g(*w)) for g in grads]))


def reference_gd(problem: Problem, w0, alpha: float, beta: float, eps: float, max_iter: int,
                 diverge_factor: float = 1e12, i: int | None = None):
    """Plain per-run GD: returns (status, iterations, gaps, steps)."""
    f, grad = _numpy_fg(problem, i)
    fstar = problem.constants(i)["f_star"]
    w = np.array(w0, dtype=np.float64)
    gaps, steps = [], []
    thr = None
    with np.errstate(all="ignore"):
        for k in range(max_iter + 1):
            try:
                gap = f(w) - fstar
            except OverflowError:
                gap = math.inf
            gaps.append(gap)
            if thr is None:
                thr = diverge_factor * max(gap if math.isfinite(gap) else 1.0, 1.0)
            if gap <= eps:
                return "converged", k, gaps, steps
            if not math.isfinite(gap) or gap > thr:
                return "diverged", -1, gaps, steps
            if k == max_iter:
                return "max_iter", -1, gaps, steps
            eta = 1.0 / (alpha + beta * gap)
            steps.append(eta)
            try:
                w = w - eta * grad(w)
            except OverflowError:
                w = np.full_like(w, math.inf)
    raise AssertionError("unreachable")


def ref_first_increase(gaps, rtol: float = 1e-9) -> int:
    """First k with NOT gaps[k+1] <= gaps[k]·(1 + rtol) (NaN counts), -1 if none: the plain-loop reference
    of the engine's monitor (rtol 1e-9 >> the engine's 1e-12, so only clear increases count)."""
    g = np.asarray(gaps, dtype=float)
    with np.errstate(all="ignore"):
        bad = ~(g[1:] <= g[:-1] * (1 + rtol))
    return int(np.argmax(bad)) if bad.any() else -1


def _compare(problem, W0, alpha, beta, eps, max_iter, **kw):
    r = run_gd(problem, W0, alpha, beta, eps=eps, max_iter=max_iter, record=True, device=CPU, **kw)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=float), (len(W0),))
    beta = np.broadcast_to(np.asarray(beta, dtype=float), (len(W0),))
    for j in range(len(W0)):
        i = j if problem.batch is not None else None
        status, it, gaps, steps = reference_gd(problem, W0[j], alpha[j], beta[j], eps, max_iter, i=i)
        assert r.status[j] == status, (j, r.status[j], status, gaps[-3:])
        assert int(r.iterations[j]) == it
        got = r.gap_history[: len(gaps), j]
        fin = np.isfinite(gaps)
        np.testing.assert_allclose(got[fin], np.asarray(gaps)[fin], rtol=1e-10, atol=1e-12)
        assert np.all(np.isnan(r.gap_history[len(gaps):, j]))
        np.testing.assert_allclose(r.step_history[: len(steps), j], steps, rtol=1e-10, atol=0)
        assert np.all(np.isnan(r.step_history[len(steps):, j]))
        assert int(r.first_increase[j]) == ref_first_increase(gaps), (j, r.first_increase[j], gaps[:8])
        assert bool(r.gap_increased[j]) == (ref_first_increase(gaps) >= 0)
    return r


# --------------------------------------------------------------------------------------------------
# engine vs per-run reference loop

@settings(max_examples=8, deadline=None, derandomize=True)
@given(h0=st.floats(0.2, 5.0), h1=st.floats(0.1, 4.0), a=st.floats(1.0, 20.0), b=st.floats(1.0, 40.0),
       ws=st.lists(st.floats(-4.0, 4.0), min_size=1, max_size=5))
def test_cosh_matches_reference(h0, h1, a, b, ws):
    p = cosh_problem(h0, h1)
    W0 = np.array(ws)[:, None]
    _compare(p, W0, a * h0, b * h1, 1e-9, 3000)


@settings(max_examples=4, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), pl=st.booleans())
def test_random_member_matches_reference(seed, pl):
    p = random_class_member(seed, dim=2, n_terms=3, pl=pl)
    rng = np.random.default_rng(seed)
    W0 = rng.standard_normal((3, 2))
    _compare(p, W0, 2.0 * p.H0, 4.0 * p.H1, 1e-4, 400)


def test_catalogue_matches_reference_mixed_statuses():
    # hard function (theory expression), rotated quadratic, w^4: converged, max_iter and diverged runs
    p = pl_hard_problem(2.0, 1.0, 1.0)
    _compare(p, np.array([[0.3], [3.0], [-6.0], [5.0]]), np.array([20.0, 20.0, 20.0, 0.05]),
             np.array([20.0, 20.0, 0.0, 0.0]), 1e-10, 500)
    q = quadratic_problem([0.5, 2.0, 3.0], seed=3, center=[1.0, -1.0, 0.5])
    r = _compare(q, np.array([[0.0, 0.0, 0.0], [2.0, 1.0, -1.0], [1.0, 1.0, 1.0]]),
                 np.array([3.0, 1.2, 40.0]), 0.0, 1e-10, 300)
    assert r.status == ("converged", "diverged", "max_iter")
    m = quartic_problem([1.0, 2.0], H1=2.0)
    _compare(m, np.array([[1.0, -0.5], [0.2, 0.1]]), 2 * m.H0, 2 * m.H1, 1e-2, 500)


def test_batched_problem_matches_reference():
    p = cosh_problem([0.5, 1.0, 3.0, 1.0], [2.0, 0.5, 1.0, 1.0])
    W0 = np.array([[2.0], [-3.0], [1.0], [0.0]])
    r = _compare(p, W0, 10 * p.H0, 20 * p.H1, 1e-8, 2000)
    assert r.iterations[3] == 0
    pm = random_class_members([5, 6, 7], dim=2, n_terms=2)
    _compare(pm, np.ones((3, 2)), 3 * pm.H0, 3 * pm.H1, 1e-4, 300)


# --------------------------------------------------------------------------------------------------
# batching, masking, compaction, sync cadence

def test_batch_equals_single_runs_and_sync_every_is_exact():
    p = cosh_problem(1.0, 1.0)
    rng = np.random.default_rng(0)
    B = 64
    W0 = rng.uniform(-6, 6, (B, 1))
    alpha = rng.uniform(0.3, 20.0, B) * np.where(rng.random(B) < 0.25, 100.0, 1.0)  # tiny steps: max_iter
    beta = np.where(rng.random(B) < 0.5, 0.0, rng.uniform(1.0, 30.0, B))
    full = run_gd(p, W0, alpha, beta, eps=1e-9, max_iter=400, device=CPU)
    assert set(full.status) == {"converged", "diverged", "max_iter"}
    for s in (4, 7, 64):
        other = run_gd(p, W0, alpha, beta, eps=1e-9, max_iter=400, device=CPU, sync_every=s)
        np.testing.assert_array_equal(other.iterations, full.iterations)
        assert other.status == full.status
        np.testing.assert_array_equal(other.stopped_at, full.stopped_at)
    for j in range(0, B, 9):
        one = run_gd(p, W0[j:j + 1], alpha[j], beta[j], eps=1e-9, max_iter=400, device=CPU)
        assert one.status[0] == full.status[j] and one.iterations[0] == full.iterations[j]
        # vectorised and scalar kernels may differ in the last bit
        np.testing.assert_allclose(one.final_gap[0], full.final_gap[j], rtol=1e-12, equal_nan=True)


def test_record_shapes_and_nan_after_stop():
    p = quadratic_problem([1.0])
    r = run_gd(p, [[1.0], [0.0], [3.0]], [2.0, 2.0, 4.0], 0.0, eps=1e-6, record=True, device=CPU)
    T = int(r.stopped_at.max())
    assert r.gap_history.shape == (T + 1, 3) and r.step_history.shape == (T, 3)
    assert r.iterations[1] == 0 and np.isnan(r.gap_history[1:, 1]).all()
    assert np.isnan(r.step_history[:, 1]).all()
    k0 = int(r.iterations[0])
    assert r.gap_history[k0, 0] <= 1e-6 < r.gap_history[k0 - 1, 0]
    d = r.to_dict()
    assert d["counts"]["converged"] == 3 and d["iterations"] == [int(x) for x in r.iterations]
    assert r.run(0)["gap_history"][-1] <= 1e-6


# --------------------------------------------------------------------------------------------------
# statuses

def test_diverging_runs_are_reported_not_raised():
    q = quadratic_problem([4.0])
    r = run_gd(q, [[1.0]], 1.0, 0.0, eps=1e-8, device=CPU)       # η = 1 > 2/L: |1 − 4| = 3 growth
    assert r.status == ("diverged",) and r.iterations[0] == -1
    assert r.final_gap[0] > 1e12
    c = cosh_problem(1.0, 1.0)
    r = run_gd(c, [[30.0]], 1e-3, 0.0, eps=1e-8, device=CPU)      # overflow to inf
    assert r.status == ("diverged",) and not np.isfinite(r.final_gap[0])


def test_nan_gap_is_diverged_not_silent():
    def f(W):
        x = W[:, 0]
        return torch.where(x.abs() < 10, x * x, torch.full_like(x, math.nan))
    p = Problem(name="nan-outside", dim=1, f=f, f_star=0.0, H0=2.0, H1=0.0, mu=1.0, theta=1.0,
                minimiser_dist=None, provenance="test")
    r = run_gd(p, [[1.0], [1.0]], [0.4, 2.0], 0.0, eps=1e-6, device=CPU)   # η = 2.5: x → −4x
    assert r.status == ("diverged", "converged")
    assert math.isnan(r.final_gap[0])


def test_max_iter_status_and_zero_max_iter():
    p = quartic_problem()
    r = run_gd(p, [[1.0]], 10 * p.H0, 20 * p.H1, eps=1e-12, max_iter=5, record=True, device=CPU)
    assert r.status == ("max_iter",) and r.iterations[0] == -1 and r.stopped_at[0] == 5
    assert r.gap_history.shape == (6, 1) and np.isfinite(r.gap_history).all()
    r0 = run_gd(p, [[1.0], [0.0]], 1.0, 0.0, eps=1e-3, max_iter=0, device=CPU)
    assert r0.status == ("max_iter", "converged") and list(r0.iterations) == [-1, 0]


def test_gap0_below_eps_is_zero_iterations():
    p = cosh_problem(1.0, 2.0)
    r = run_gd(p, [[1e-5], [0.0], [-1e-5]], Schedule.warmup(1.0, 2.0).alpha, 40.0, eps=1e-8, device=CPU)
    assert list(r.iterations) == [0, 0, 0] and r.status == ("converged",) * 3


def test_float32_runs():
    p = cosh_problem(1.0, 1.0)
    r = run_gd(p, [[2.0]], 10.0, 20.0, eps=1e-4, device=CPU, dtype=torch.float32)
    r64 = run_gd(p, [[2.0]], 10.0, 20.0, eps=1e-4, device=CPU)
    assert r.dtype == "float32" and r.status == ("converged",)
    assert abs(int(r.iterations[0]) - int(r64.iterations[0])) <= 1


# --------------------------------------------------------------------------------------------------
# input validation

@pytest.mark.parametrize("kwargs,name", [
    ({"eps": 0.0}, "eps"), ({"eps": -1.0}, "eps"), ({"eps": math.nan}, "eps"),
    ({"w0": [[1.0, 2.0]]}, "w0"), ({"w0": [[math.nan]]}, "w0"), ({"w0": np.zeros((0, 1))}, "w0"),
    ({"alpha": -1.0}, "alpha"), ({"alpha": [1.0, 2.0, 3.0]}, "alpha"), ({"alpha": math.nan}, "alpha"),
    ({"beta": -0.1}, "beta"), ({"beta": math.inf}, "beta"), ({"alpha": 0.0, "beta": 0.0}, "alpha"),
    ({"max_iter": -1}, "max_iter"), ({"max_iter": 2.5}, "max_iter"), ({"diverge_factor": 0.5}, "diverge_factor"),
    ({"increase_rtol": -1e-12}, "increase_rtol"), ({"increase_atol": math.nan}, "increase_atol"),
])
def test_bad_inputs_name_the_argument(kwargs, name):
    p = cosh_problem(1.0, 1.0)
    args = {"w0": [[1.0], [2.0]], "alpha": 10.0, "beta": 20.0, "eps": 1e-6}
    args.update(kwargs)
    w0, a, b = args.pop("w0"), args.pop("alpha"), args.pop("beta")
    with pytest.raises(ValueError, match=name):
        run_gd(p, w0, a, b, device=CPU, **args)


def test_batched_problem_needs_matching_batch():
    p = cosh_problem([1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="w0"):
        run_gd(p, [[1.0], [1.0], [1.0]], 10.0, 20.0, eps=1e-6, device=CPU)


def test_schedules():
    assert Schedule.fixed(0.25).alpha == 4.0 and Schedule.fixed(0.25).beta == 0.0
    s = Schedule.warmup(2.0, 3.0, a=1, b=1)
    assert (s.alpha, s.beta) == (2.0, 3.0) and s.step(1.0) == 0.2
    assert Schedule.practical(0.5, 2.0).step(1.0) == pytest.approx(0.5 / 3.0, rel=1e-15)
    for bad, name in [(lambda: Schedule.fixed(0.0), "eta"), (lambda: Schedule.warmup(-1.0, 1.0), "H0"),
                      (lambda: Schedule.practical(1.0, -1.0), "C"), (lambda: Schedule("x", 0.0, 0.0), "alpha")]:
        with pytest.raises(ValueError, match=name):
            bad()
    a, b = stack_schedules([Schedule.fixed(1.0), Schedule.practical(0.5, 2.0)])
    assert a.tolist() == [1.0, 2.0] and b.tolist() == [0.0, 4.0]


# --------------------------------------------------------------------------------------------------
# problems: values against the sympy form, exact constants, batching

@pytest.mark.parametrize("make", [
    lambda: cosh_problem(1.5, 0.7), lambda: pl_hard_problem(2.0, 0.5, 1.5),
    lambda: quadratic_problem([0.0, 1.0, 5.0], seed=1), lambda: quartic_problem([1.0, 3.0], H1=0.5, power=6),
    lambda: random_class_member(11, dim=3, n_terms=4), lambda: gallery_problem("double_well", H1=2.0),
    lambda: gallery_problem("sep_logcosh", H1=0.0),
])
def test_problem_values_match_sympy(make):
    p = make()
    rng = np.random.default_rng(1)
    W = rng.uniform(-2, 2, (7, p.dim))
    f = sp.lambdify(p.symbols, p.expr(), modules="numpy")
    ref = np.array([float(f(*w)) for w in W])
    with torch.no_grad():
        got = p.f(torch.as_tensor(W))
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-11, atol=1e-13)
    assert p.f_star == 0.0 and np.all(p.gap(W) >= 0)


def test_cosh_constants_are_exact_and_pl():
    p = cosh_problem(1.7, 0.6)
    w = torch.linspace(-5, 5, 201, dtype=torch.float64).reshape(-1, 1).requires_grad_(True)
    f = p.f(w)
    (g,) = torch.autograd.grad(f.sum(), w, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), w)
    np.testing.assert_allclose(h[:, 0].detach().numpy(), (p.H0 + p.H1 * f).detach().numpy(), rtol=1e-12)
    gg = g[:, 0].detach().numpy() ** 2
    fv = f.detach().numpy()
    assert np.all(gg >= 2 * p.mu * fv * (1 - 1e-12))


def test_batched_problems_equal_individual_ones():
    H0, H1 = np.array([0.5, 2.0, 1.0]), np.array([1.0, 0.3, 2.0])
    pb = cosh_problem(H0, H1)
    W = torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64)
    for i in range(3):
        single = cosh_problem(H0[i], H1[i])
        assert float(pb.f(W)[i]) == pytest.approx(float(single.f(W[i:i + 1])[0]), rel=1e-15)
        assert pb.constants(i)["H0"] == H0[i]
    pm = random_class_members([3, 4])
    for i, s in enumerate([3, 4]):
        single = random_class_member(s)
        Wr = torch.randn(2, 2, dtype=torch.float64)
        assert float(pm.f(Wr)[i]) == pytest.approx(float(single.f(Wr[i:i + 1])[0]), rel=1e-14)
        assert pm.H0[i] == single.H0 and pm.H1[i] == single.H1


def test_minimiser_dist():
    q = quadratic_problem([0.0, 2.0], center=[1.0, 1.0])   # S = {w : w_2 = 1}
    d = q.minimiser_dist(torch.tensor([[5.0, 3.0]], dtype=torch.float64))
    assert float(d[0]) == pytest.approx(2.0, rel=1e-14)
    p = random_class_member(2, dim=3, n_terms=2)   # rank 2: S is a line through c
    c = p.shared_params["c"]
    on_S = c + 0.7 * torch.linalg.svd(p.shared_params["A"]).Vh[-1]
    assert float(p.minimiser_dist(on_S[None])[0]) < 1e-12 and float(p.f(on_S[None])[0]) < 1e-20


@pytest.mark.parametrize("call,name", [
    (lambda: cosh_problem(0.0, 1.0), "H0"), (lambda: cosh_problem(1.0, math.nan), "H1"),
    (lambda: pl_hard_problem(1.0, 1.0, 2.0), "mu"), (lambda: quadratic_problem([-1.0, 1.0]), "eigs"),
    (lambda: quadratic_problem([0.0]), "eigs"), (lambda: quartic_problem(H1=0.0), "H1"),
    (lambda: quartic_problem(power=5), "power"), (lambda: random_class_member(0, dim=3, n_terms=2, pl=True), "n_terms"),
    (lambda: cosh_problem([1.0, 2.0], [1.0, 2.0, 3.0]), "entries"),
    (lambda: gallery_problem("exp_sq"), "name"), (lambda: gallery_problem("quartic", H1=0.0), "H1"),
])
def test_problem_bad_inputs(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_result_is_frozen_dataclass():
    r = run_gd(cosh_problem(), [[1.0]], 10.0, 20.0, eps=1e-6, device=CPU)
    assert isinstance(r, GDBatchResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.seconds = 0.0  # type: ignore[misc]
    assert r.device == "cpu" and r.dtype == "float64" and r.seconds >= 0


@pytest.mark.parametrize("make", [
    lambda: cosh_problem([1.0, 2.0, 0.5], [1.0, 0.2, 3.0]), lambda: pl_hard_problem(2.0, 1.0, [0.5, 1.0, 2.0]),
    lambda: quadratic_problem([0.5, 1.0, 2.0], seed=4), lambda: quartic_problem([1.0, 2.0, 0.5], H1=1.0),
    lambda: random_class_member(9, dim=3, n_terms=3), lambda: random_class_members([1, 2, 3], dim=3),
])
def test_closed_form_gradients_equal_autograd(make):
    p = make()
    W0 = np.array([[0.3, -1.2, 2.0], [1.5, 0.2, -0.7], [-2.5, 0.9, 0.1]])[:, : p.dim]
    kw = dict(eps=1e-7, max_iter=300, record=True, device=CPU)
    a = 5 * np.asarray(p.H0) + 1.0
    r1 = run_gd(p, W0, a, 5 * np.asarray(p.H1), **kw)
    r2 = run_gd(p, W0, a, 5 * np.asarray(p.H1), autograd=True, **kw)
    assert r1.status == r2.status and list(r1.iterations) == list(r2.iterations)
    np.testing.assert_allclose(r1.gap_history, r2.gap_history, rtol=1e-11, atol=1e-14)


# --------------------------------------------------------------------------------------------------
# class-stability monitor: gap_increased / first_increase

def test_fixed_step_above_2_over_L_flags_the_first_increase():
    # η = 0.6 ∈ (2/4, 2/1): the λ = 1 mode contracts by 0.16 per step, the λ = 4 mode grows by 1.96, so the
    # gap first decreases and then increases at an iteration set by the size of the unstable component
    q = quadratic_problem([1.0, 4.0])
    W0 = np.c_[np.ones(6), np.logspace(-6, -1, 6)]
    r = _compare(q, W0, 1 / 0.6, 0.0, 1e-10, 200)          # statuses, gaps and first_increase vs plain loop
    assert r.gap_increased.all() and r.first_increase.tolist() == [11, 9, 7, 5, 4, 2]
    for j in range(6):                                       # the flagged step really increased the gap ...
        k = int(r.first_increase[j])
        assert r.gap_history[k + 1, j] > r.gap_history[k, j]
        assert np.all(np.diff(r.gap_history[: k + 1, j]) < 0)  # ... and none before it did
    rot = quadratic_problem([0.5, 2.0, 3.0], seed=3, center=[1.0, -1.0, 0.5])   # η = 0.8 > 2/3
    W1 = np.array([1.0, -1.0, 0.5]) + np.random.default_rng(7).standard_normal((8, 3)) * np.logspace(-4, 0, 8)[:, None]
    r1 = _compare(rot, W1, 1 / 0.8, 0.0, 1e-10, 200)
    assert r1.gap_increased.all() and r1.status == ("diverged",) * 8
    for s in (3, 16):                                        # exact whatever the host sync cadence
        other = run_gd(q, W0, 1 / 0.6, 0.0, eps=1e-10, max_iter=200, device=CPU, sync_every=s)
        np.testing.assert_array_equal(other.first_increase, r.first_increase)
    stable = run_gd(q, W0, 1 / 0.45, 0.0, eps=1e-10, max_iter=200, device=CPU)   # η = 0.45 < 2/L
    assert not stable.gap_increased.any() and (stable.first_increase == -1).all()
    assert stable.status == ("converged",) * 6
    d = r.to_dict()
    assert d["gap_increased"] == [True] * 6 and d["first_increase"] == [11, 9, 7, 5, 4, 2]
    assert d["increase_rtol"] == 1e-12 and d["increase_atol"] == 1e-300
    assert r.run(1)["gap_increased"] is True and r.run(1)["first_increase"] == 9
    assert stable.run(0)["first_increase"] == -1


def _assert_never_increases(r):
    assert not r.gap_increased.any(), (np.nonzero(r.gap_increased)[0], r.first_increase)
    assert (r.first_increase == -1).all() and r.counts()["diverged"] == 0


@settings(max_examples=6, deadline=None, derandomize=True)
@given(h0=st.floats(0.1, 10.0), h1=st.floats(0.1, 10.0), gap0s=st.lists(st.floats(1e-6, 1e8), min_size=1, max_size=6))
def test_warmup_never_sets_the_flag_on_cosh(h0, h1, gap0s):
    p = cosh_problem(h0, h1)
    g = np.asarray(gap0s)
    w0 = 2 / math.sqrt(h1) * np.arcsinh(np.sqrt(g * h1 / (2 * h0)))       # f(w0) = gap0
    W0 = np.r_[w0, -w0][:, None]
    s = Schedule.warmup(h0, h1)
    _assert_never_increases(run_gd(p, W0, s.alpha, s.beta, eps=1e-300, max_iter=1500, device=CPU))


def test_warmup_never_sets_the_flag_on_the_pl_hard_function_and_class_members():
    mus = np.array([0.05, 0.3, 1.0, 2.0, 2.0])
    p = pl_hard_problem(2.0, 1.5, mus)
    W0 = np.array([[0.2], [3.0], [-8.0], [15.0], [-0.5]])
    _assert_never_increases(run_gd(p, W0, 10 * p.H0, 20 * p.H1, eps=1e-300, max_iter=2000, device=CPU))
    for pl, dim, nt in ((False, 2, 3), (True, 3, 4), (False, 4, 2)):
        seeds = list(range(20 * dim, 20 * dim + 12))
        m = random_class_members(seeds, dim=dim, n_terms=nt, pl=pl)
        W0 = np.random.default_rng(dim).standard_normal((len(seeds), dim)) * 3
        _assert_never_increases(run_gd(m, W0, 10 * m.H0, 20 * m.H1, eps=1e-300, max_iter=1500, device=CPU))


def test_monitor_tolerance_absorbs_iterate_rounding_but_a_zero_tolerance_does_not():
    # documented witnesses (warmup_theory.numerics.gd docstring): Eq. (1) run to eps = 1e-300 on rank-deficient members
    # stalls at gap ≈ 1e-28 where rounding of w_k wobbles the gap upwards by up to 2.6 %
    rows = [2, 8, 15, 20, 39, 54, 60]
    W0 = (np.random.default_rng(4).standard_normal((100, 4)) * 3)[rows]
    m = random_class_members(rows, dim=4, n_terms=2)
    r = run_gd(m, W0, 10 * m.H0, 20 * m.H1, eps=1e-300, max_iter=2600, record=True, device=CPU)
    _assert_never_increases(r)
    naive = [ref_first_increase(r.gap_history[: r.stopped_at[j] + 1, j], rtol=1e-12) for j in range(len(rows))]
    assert sum(k >= 0 for k in naive) >= 4        # the rtol·gap rule alone would flag these runs
    assert all(r.gap_history[-1, j] < 1e-26 for j in range(len(rows)))
    z = run_gd(m, W0, 10 * m.H0, 20 * m.H1, eps=1e-300, max_iter=2600, record=True, device=CPU,
               increase_rtol=0.0, increase_atol=0.0)     # strict gap_{k+1} > gap_k: agrees with the history
    strict = [ref_first_increase(z.gap_history[: z.stopped_at[j] + 1, j], rtol=0.0) for j in range(len(rows))]
    assert z.first_increase.tolist() == strict and z.gap_increased.sum() >= 4
    assert z.status == r.status and z.increase_rtol == 0.0


def test_nan_after_a_decreasing_step_counts_as_an_increase():
    def f(W):
        x = W[:, 0]
        return torch.where(x < 0.6, torch.full_like(x, math.nan), x * x)
    p = Problem(name="nan-below", dim=1, f=f, f_star=0.0, H0=2.0, H1=0.0, mu=1.0, theta=1.0,
                minimiser_dist=None, provenance="test")
    r = run_gd(p, [[1.0], [3.0]], 4.0, 0.0, eps=1e-6, device=CPU)   # x → x/2: 1 → 0.5 (NaN); 3 → 1.5 → 0.75 → NaN
    assert r.status == ("diverged", "diverged")
    assert r.first_increase.tolist() == [0, 2] and r.gap_increased.all()


def test_statuses_are_unchanged_by_the_monitor_and_float32_tolerances():
    p = cosh_problem(1.0, 1.0)
    W0 = np.array([[3.0], [0.0], [40.0], [2.0]])
    a, b = [10.0, 10.0, 1e-3, 0.1], [20.0, 20.0, 0.0, 0.0]
    r = run_gd(p, W0, a, b, eps=1e-6, device=CPU)
    loose = run_gd(p, W0, a, b, eps=1e-6, device=CPU, increase_rtol=1.0, increase_atol=1e300)
    assert r.status == loose.status == ("converged", "converged", "diverged", "diverged")
    np.testing.assert_array_equal(r.iterations, loose.iterations)
    np.testing.assert_array_equal(r.stopped_at, loose.stopped_at)
    assert r.first_increase.tolist() == [-1, -1, 0, 0]
    # a huge tolerance silences finite increases, never an overflow to inf (run 2: cosh(40.0) step)
    assert loose.first_increase.tolist() == [-1, -1, 0, -1] and not np.isfinite(loose.final_gap[2])
    r32 = run_gd(p, [[2.0]], 10.0, 20.0, eps=1e-4, device=CPU, dtype=torch.float32)
    assert (r32.increase_rtol, r32.increase_atol) == (1e-4, 1e-35) and not r32.gap_increased[0]
