"""warmup_theory.theory.closure on random compositions of gallery functions, and the gallery itself.

The gallery (warmup_theory.proofs_checks.claims.smoothness) carries hand-derived constants; here it
is validated independently first: closed-form derivatives against central finite
differences of the function values, the curvature bound on dense grids, and f*
against scipy minimisation / limits.  Then every closure rule is checked by
evaluating ‖∇²h‖₂ <= H0 + H1·(h − h*) on dense grids and random points, with h*
from scipy minimisation (or closed form), never from the rule under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize, minimize_scalar

from warmup_theory.proofs_checks.claims.smoothness import Member, hess_norm, member_1d, random_member, random_profile
from warmup_theory.theory import closure
from warmup_theory.theory.hsmooth import HSmooth

KINDS = ("quad", "exp", "logistic", "cosh", "quartic", "logcosh")
seeds = st.integers(0, 2**32 - 1)


def grid(center: np.ndarray, radius: float, n1: int = 401, n2: int = 21) -> list[np.ndarray]:
    d = center.shape[0]
    if d == 1:
        return [center + np.array([t]) for t in np.linspace(-radius, radius, n1)]
    ts = np.linspace(-radius, radius, n2)
    return [center + np.array([a, b]) for a in ts for b in ts]


def numeric_inf(fn, center: np.ndarray, radius: float, lower: float, jac=None) -> float:
    """inf of fn by scipy (several starts), an upper bound of the true infimum; >= lower by rounding clamp."""
    d = center.shape[0]
    if d == 1:
        best = min(minimize_scalar(lambda t: fn(np.array([t])), bounds=(c - 60, c + 60), method="bounded",
                                   options={"xatol": 1e-10}).fun
                   for c in (float(center[0]) - radius, float(center[0]), float(center[0]) + radius))
    else:
        rng = np.random.default_rng(0)
        best = min(minimize(fn, center + radius * rng.uniform(-1, 1, d), jac=jac, method="L-BFGS-B").fun
                   for _ in range(3))
    best = min(best, min(fn(w) for w in grid(center, radius, 101, 9)))
    return max(float(best), lower)


def assert_bound(hess_fn, fn, c: HSmooth, h_star: float, pts) -> None:
    worst = -math.inf
    for w in pts:
        lhs, rhs = hess_norm(hess_fn(w)), c.H0 + c.H1 * (fn(w) - h_star)
        assert lhs <= rhs * (1 + 1e-9) + 1e-10, (w, lhs, rhs)
        worst = max(worst, lhs - rhs)


# ----------------------------------------------------------------------------- the gallery
@pytest.mark.parametrize("kind", KINDS)
def test_gallery_profiles_hand_constants(kind):
    rng = np.random.default_rng(KINDS.index(kind))
    for _ in range(4):
        p = random_profile(rng, kind)
        xs = np.linspace(p.m - p.radius, p.m + p.radius, 301)
        for x in xs:
            h = 1e-4 * max(1.0, abs(x))
            fd1 = (p.phi(x + h) - p.phi(x - h)) / (2 * h)
            fd2 = (p.phi(x + h) - 2 * p.phi(x) + p.phi(x - h)) / h**2
            scale = 1.0 + abs(p.phi(x)) + abs(p.d2(x))
            assert fd1 == pytest.approx(p.d1(x), rel=1e-6, abs=1e-6 * scale)
            assert fd2 == pytest.approx(p.d2(x), rel=1e-4, abs=1e-4 * scale)
            assert abs(p.d2(x)) <= p.H0 + p.H1 * (p.phi(x) - p.star) + 1e-12 * scale
            assert p.phi(x) >= p.star - 1e-12 * scale
        if kind in ("exp", "logistic"):  # infimum approached at ±∞, not attained
            far = [p.phi(p.m + 80.0 / 0.3), p.phi(p.m - 80.0 / 0.3)]
            assert min(far) - p.star < 1e-9
        else:
            res = minimize_scalar(p.phi, bounds=(p.m - p.radius, p.m + p.radius), method="bounded",
                                  options={"xatol": 1e-10})
            assert res.fun == pytest.approx(p.star, abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_gallery_2d_members_hessian_and_bound(seed):
    rng = np.random.default_rng(seed)
    mem = random_member(rng, 2)
    for _ in range(10):
        w = mem.point(rng)
        h = 1e-4
        E = np.eye(2) * h
        H = np.array([[(mem.f(w + E[i] + E[j]) - mem.f(w + E[i] - E[j]) - mem.f(w - E[i] + E[j])
                        + mem.f(w - E[i] - E[j])) / (4 * h * h) for j in range(2)] for i in range(2)])
        scale = 1.0 + abs(mem.f(w)) + float(np.abs(mem.hess(w)).max())
        assert np.allclose(H, mem.hess(w), rtol=1e-3, atol=1e-3 * scale), mem.name
        assert hess_norm(mem.hess(w)) <= mem.H0 + mem.H1 * (mem.f(w) - mem.f_star) + 1e-10 * scale
        assert mem.f(w) >= mem.f_star - 1e-10 * scale


# ----------------------------------------------------------------------------- sums (Prop B.2)
@settings(max_examples=20, deadline=None)
@given(seed=seeds, dim=st.integers(1, 2))
def test_add_on_random_pairs(seed, dim):
    rng = np.random.default_rng(seed)
    f, g = random_member(rng, dim), random_member(rng, dim)
    center, rad = f.center, min(f.radius, g.radius)
    h = lambda w: f.f(w) + g.f(w)
    h_star = numeric_inf(h, center, rad, f.f_star + g.f_star, jac=lambda w: f.grad(w) + g.grad(w))
    c = closure.add(HSmooth(f.H0, f.H1), HSmooth(g.H0, g.H1), f_star=f.f_star, g_star=g.f_star, h_star=h_star)
    assert c.H1 == max(f.H1, g.H1)
    assert c.H0 == pytest.approx(f.H0 + g.H0 + c.H1 * (h_star - f.f_star - g.f_star))
    pts = grid(center, rad, 201, 15) + [center + rad * rng.uniform(-1, 1, dim) for _ in range(50)]
    assert_bound(lambda w: f.hess(w) + g.hess(w), h, c, h_star, pts)


@settings(max_examples=30, deadline=None)
@given(s1=st.floats(0.2, 3), s2=st.floats(0.2, 3), H1f=st.floats(0.1, 3), o1=st.floats(0, 5), o2=st.floats(-20, 0))
def test_printed_sum_rule_fails_where_corrected_holds(s1, s2, H1f, o1, o2):
    # f = s1 w²/2 + o1 is (s1, H1f)-smooth for any H1f >= 0; g = s2 w²/2 + o2 is (s2, 0); h* = o1 + o2 (closed form)
    f, g = HSmooth(s1, H1f), HSmooth(s2, 0.0)
    h_star = o1 + o2
    corrected = closure.add(f, g, f_star=o1, g_star=o2, h_star=h_star)
    printed = closure.add_printed(f, g, f_star=o1, g_star=o2, h_star=h_star)
    ws = np.linspace(-5, 5, 201)
    hval = (s1 + s2) * ws**2 / 2 + o1 + o2
    assert np.all(s1 + s2 <= corrected.H0 + corrected.H1 * (hval - h_star) + 1e-12)
    # printed H0 = s1 + s2 + H1f·o2 (< s1 + s2 whenever o2 < 0): violated at the minimiser w = 0
    assert printed.H0 == pytest.approx(s1 + s2 + H1f * o2)
    if o2 < -1e-9:
        assert s1 + s2 > printed.H0 + printed.H1 * (0.0 - 0.0)


def test_printed_equals_corrected_when_infima_vanish():
    f, g = HSmooth(1.0, 2.0), HSmooth(3.0, 0.5)
    a = closure.add(f, g, f_star=0.0, g_star=0.0, h_star=0.7)
    b = closure.add_printed(f, g, f_star=0.0, g_star=0.0, h_star=0.7)
    assert (a.H0, a.H1) == (b.H0, b.H1)
    assert b.to_dict()["printed"] is True


# ----------------------------------------------------------------------------- other rules
@settings(max_examples=25, deadline=None)
@given(seed=seeds, logc=st.floats(-3, 3))
def test_scale_on_random_members(seed, logc):
    rng = np.random.default_rng(seed)
    mem = random_member(rng)
    c = math.exp(logc)
    out = closure.scale(c, HSmooth(mem.H0, mem.H1))
    assert_bound(lambda w: c * mem.hess(w), lambda w: c * mem.f(w), out, c * mem.f_star,
                 grid(mem.center, mem.radius, 201, 21))


@settings(max_examples=30, deadline=None)
@given(seed=seeds, d=st.integers(1, 3))
def test_compose_affine_on_random_members(seed, d):
    rng = np.random.default_rng(seed)
    mem = random_member(rng)
    A = rng.normal(size=(mem.dim, d)) * rng.uniform(0.3, 1.5)
    w0 = rng.normal(size=d)
    b = mem.center - A @ w0
    anorm = float(np.linalg.norm(A, 2))
    h = lambda w: mem.f(A @ w + b)
    if np.linalg.matrix_rank(A) == mem.dim:  # A onto: h* = f* exactly
        h_star = mem.f_star
    else:  # m = 2, d = 1: h(t) = f(a t + b), a line; minimise over t
        h_star = numeric_inf(h, w0, mem.radius / anorm, mem.f_star)
    out = closure.compose_affine(HSmooth(mem.H0, mem.H1), anorm, f_star=mem.f_star, h_star=h_star)
    rad = mem.radius / (anorm * math.sqrt(d))
    pts = [w0 + rad * rng.uniform(-1, 1, d) for _ in range(300)]
    assert_bound(lambda w: A.T @ mem.hess(A @ w + b) @ A, h, out, h_star, pts)


@settings(max_examples=15, deadline=None)
@given(seed=seeds, dim=st.integers(1, 2), k=st.integers(1, 4))
def test_average_on_random_members(seed, dim, k):
    rng = np.random.default_rng(seed)
    ms = [random_member(rng, dim) for _ in range(k)]
    center, rad = ms[0].center, min(m.radius for m in ms)
    h = lambda w: sum(m.f(w) for m in ms) / k
    mean_star = sum(m.f_star for m in ms) / k
    h_star = numeric_inf(h, center, rad, mean_star, jac=lambda w: sum(m.grad(w) for m in ms) / k)
    out = closure.average([HSmooth(m.H0, m.H1) for m in ms], f_stars=[m.f_star for m in ms], h_star=h_star)
    assert out.H1 == max(m.H1 for m in ms)
    assert_bound(lambda w: sum(m.hess(w) for m in ms) / k, h, out, h_star, grid(center, rad, 201, 15))


@settings(max_examples=15, deadline=None)
@given(seed=seeds, dim=st.integers(1, 2), loglam=st.floats(-3, 1))
def test_add_smooth_l2_term(seed, dim, loglam):
    rng = np.random.default_rng(seed)
    mem = random_member(rng, dim)
    lam = math.exp(loglam)
    w0 = mem.center + rng.normal(size=dim)
    h = lambda w: mem.f(w) + 0.5 * lam * float((w - w0) @ (w - w0))
    h_star = numeric_inf(h, mem.center, mem.radius, mem.f_star, jac=lambda w: mem.grad(w) + lam * (w - w0))
    out = closure.add_smooth(HSmooth(mem.H0, mem.H1), lam, f_star=mem.f_star, g_star=0.0, h_star=h_star)
    assert out.H1 == mem.H1
    assert out.H0 == pytest.approx(mem.H0 + lam + mem.H1 * (h_star - mem.f_star))
    assert_bound(lambda w: mem.hess(w) + lam * np.eye(dim), h, out, h_star, grid(mem.center, mem.radius, 201, 15))


def test_exp_plus_l2_needs_the_infimum_shift():
    # f = e^w is (0, 1), f* = 0; h = e^w + w²/2 has h* = h(−W(1)) = ν + ν²/2 with ν = W(1) (omega constant).
    nu = float(sp.LambertW(1).evalf(30))
    h_star = math.exp(-nu) + nu * nu / 2
    assert minimize_scalar(lambda t: math.exp(t) + t * t / 2).fun == pytest.approx(h_star, abs=1e-12)
    out = closure.add_smooth(HSmooth(0.0, 1.0), 1.0, f_star=0.0, g_star=0.0, h_star=h_star)
    assert out.H0 == pytest.approx(1.0 + h_star)  # not just 0 + λ
    ws = np.linspace(-10, 5, 3001)
    hv = np.exp(ws) + ws**2 / 2
    assert np.all(np.exp(ws) + 1 <= out.H0 + out.H1 * (hv - h_star) + 1e-12)
    # the naive rule "adds λ to H0" (H0 = 0 + 1, no shift) is violated at the minimiser found by scipy
    wmin = minimize_scalar(lambda t: math.exp(t) + t * t / 2).x
    naive = HSmooth(0.0 + 1.0, 1.0)
    assert math.exp(wmin) + 1 > naive.bound(max(math.exp(wmin) + wmin**2 / 2 - h_star, 0.0)) + 0.5


# ----------------------------------------------------------------------------- symbolic
def test_symbolic_rules():
    a, b, c, d, lam, A = sp.symbols("a b c d lambda A", nonnegative=True)
    fs, gs, s = sp.symbols("f_s g_s s", real=True)
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.add(HSmooth(a, b), HSmooth(c, d), f_star=fs, g_star=gs, h_star=fs + gs + sh)
    assert sp.simplify(out.H0 - (a + c + sp.Max(b, d) * sh)) == 0
    assert sp.simplify(closure.scale(lam + 1, HSmooth(a, b)).H0 - (lam + 1) * a) == 0
    out = closure.compose_affine(HSmooth(a, b), A, f_star=fs, h_star=fs + sh)
    assert sp.simplify(out.H0 - A**2 * (a + b * sh)) == 0 and sp.simplify(out.H1 - A**2 * b) == 0
    out = closure.add_smooth(HSmooth(a, b), lam, f_star=fs, g_star=0, h_star=fs + sh)
    assert sp.simplify(out.H0 - (a + lam + b * sh)) == 0 and out.H1 == b
    pr = closure.add_printed(HSmooth(a, b), HSmooth(c, d), f_star=fs, g_star=gs, h_star=s)
    assert sp.simplify(pr.H0 - (a + c + sp.Max(b, d) * s - b * fs - d * gs)) == 0


# ----------------------------------------------------------------------------- bad input
def test_bad_inputs():
    F = HSmooth(1.0, 1.0)
    with pytest.raises(TypeError, match="f"):
        closure.add((1.0, 1.0), F, f_star=0, g_star=0, h_star=0)
    with pytest.raises(TypeError, match="g"):
        closure.add(F, None, f_star=0, g_star=0, h_star=0)
    with pytest.raises(ValueError, match="h_star"):
        closure.add(F, F, f_star=1.0, g_star=1.0, h_star=1.5)
    with pytest.raises(ValueError, match="f_star"):
        closure.add(F, F, f_star=float("nan"), g_star=0.0, h_star=0.0)
    with pytest.raises(ValueError, match="h_star"):
        closure.add(F, F, f_star=0.0, g_star=0.0, h_star=float("inf"))
    with pytest.raises(TypeError, match="g_star"):
        closure.add_printed(F, F, f_star=0.0, g_star="0", h_star=0.0)
    x = sp.Symbol("x", positive=True)
    with pytest.raises(ValueError, match="h_star"):
        closure.add(F, F, f_star=0, g_star=x, h_star=-1)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="c"):
            closure.scale(bad, F)
    with pytest.raises(TypeError, match="f"):
        closure.scale(1.0, 3.0)
    with pytest.raises(ValueError, match="A_norm"):
        closure.compose_affine(F, -1.0, f_star=0.0, h_star=0.0)
    with pytest.raises(ValueError, match="h_star"):
        closure.compose_affine(F, 1.0, f_star=0.0, h_star=-0.1)
    with pytest.raises(ValueError, match="fs"):
        closure.average([], f_stars=[], h_star=0.0)
    with pytest.raises(TypeError, match="fs"):
        closure.average(F, f_stars=[0.0], h_star=0.0)
    with pytest.raises(TypeError, match=r"fs\[1\]"):
        closure.average([F, 2.0], f_stars=[0.0, 0.0], h_star=0.0)
    with pytest.raises(ValueError, match="f_stars"):
        closure.average([F, F], f_stars=[0.0], h_star=0.0)
    with pytest.raises(ValueError, match=r"f_stars\[1\]"):
        closure.average([F, F], f_stars=[0.0, float("nan")], h_star=0.0)
    with pytest.raises(ValueError, match="h_star"):
        closure.average([F, F], f_stars=[0.0, 2.0], h_star=0.5)
    with pytest.raises(ValueError, match="L"):
        closure.add_smooth(F, -1.0, f_star=0.0, g_star=0.0, h_star=0.0)
    with pytest.raises(ValueError, match="h_star"):
        closure.add_smooth(F, 1.0, f_star=0.0, g_star=1.0, h_star=0.5)


def test_rounding_slack_on_h_star_is_clamped():
    F = HSmooth(1.0, 1.0)
    out = closure.add(F, F, f_star=0.1, g_star=0.2, h_star=0.1 + 0.2 - 1e-17)
    assert out.H0 == 2.0


def test_member_helper_is_consistent():
    m = member_1d(random_profile(np.random.default_rng(0), "cosh"))
    assert isinstance(m, Member) and m.dim == 1


def test_sum_claims_verdicts():
    from warmup_theory.proofs_checks.framework import registry, run_claim

    reg = registry()
    assert run_claim(reg["Prop B.2"]).verdict == "proved"
    printed = run_claim(reg["Prop B.2 (printed)"])
    assert printed.verdict == "defective"
    w = printed.witness  # re-check the witness from its own data: h = w², h'' = 2 at w = 0
    assert w["hessian_norm"] == 2.0 and w["printed_bound"] == w["printed_H0"] + w["printed_H1"] * (0.0 - w["h_star"])
    assert w["hessian_norm"] > w["printed_bound"]
