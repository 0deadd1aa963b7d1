"""Tests of warmup_theory.theory.certify against HAND-DERIVED frontiers (warmup_theory.theory.gallery) and independent
numerics (mpmath root-finding / dense float64 grids), never against certify's own output."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.theory.certify import Answer, Bracket, certify
from warmup_theory.theory.gallery import GALLERY, w, x, y

mp.mp.dps = 30


def _contains(a: Answer, truth: float, rel: float = 1e-12) -> bool:
    """The answer's value (exact or bracket) contains the independent truth."""
    if truth == math.inf:
        return a.value is sp.oo
    slack = rel * (1 + abs(truth))
    return a.lower - slack <= truth <= a.upper + slack


def _cert(name: str):
    e = GALLERY[name]
    return certify(e.expr, *e.symbols)


# ---------------------------------------------------------------------------------------------
# 1-D gallery with closed-form frontiers

CLOSED = ["quadratic", "exp", "logcosh", "cosh_extremal", "quartic", "double_well", "quartic_plus_quadratic"]
H1S = [0.0, 0.25, 1.0, 3.0]


@pytest.mark.parametrize("name", CLOSED)
def test_closed_form_frontier(name):
    e, c = GALLERY[name], _cert(name)
    assert c.smooth is True
    assert c.f_star_attained is e.attained
    assert float(c.f_star) == e.f_star
    for h in H1S:
        a = c.min_H0(h)
        assert a.method == "exact", (name, h, a)
        assert _contains(a, e.phi(h)), (name, h, a, e.phi(h))


def test_quartic_36_over_H1_exact_and_symbolic():
    c = _cert("quartic")
    assert c.min_H0(2.0).value == 18 and c.min_H0(0.5).value == 72
    H = sp.Symbol("H1", positive=True)
    assert sp.simplify(c.min_H0(H).value - 36 / H) == 0


def test_exp_not_attained_and_jump():
    c = _cert("exp")
    assert c.f_star == 0 and c.f_star_attained is False
    assert c.min_H0(0.999).value is sp.oo and c.min_H0(1.0).value == 0
    h1 = c.min_H1(0.0)  # the true value is 1
    assert h1.lower <= 1.0 <= h1.upper and h1.upper - h1.lower < 1e-5
    assert c.holds(0.0, 1.0) and not c.holds(1e6, 0.5)


def test_min_H1_hand_values():
    assert _cert("quartic").min_H1(18.0).value == 2             # 36/H1 = 18
    dw = _cert("double_well").min_H1(44.0)                      # 8 + 36/H1 = 44 at H1 = 1
    assert _contains(dw, 1.0) and dw.upper - dw.lower < 1e-5
    assert _cert("quartic").min_H1(0.0).value is sp.oo          # 36/H1 > 0 for every H1
    lc = _cert("logcosh")
    assert lc.min_H1(1.0).value == 0 and lc.min_H1(0.9).value is sp.oo   # φ ≡ 1
    ce = _cert("cosh_extremal")
    b = ce.min_H1(2.0)                                          # φ = 2 for H1 >= 1/4, oo below
    assert b.lower <= 0.25 <= b.upper and b.upper - b.lower < 1e-5
    assert ce.min_H1(1.99).value is sp.oo


def test_holds_on_both_sides_of_the_frontier():
    q = _cert("quartic")
    assert q.holds(18.0, 2.0) and not q.holds(17.99, 2.0) and q.holds(1.0, 36.0)
    ce = _cert("cosh_extremal")
    assert ce.holds(2.0, 0.25) and not ce.holds(1.999, 0.25) and not ce.holds(100.0, 0.24)


# ---------------------------------------------------------------------------------------------
# logistic loss: f* = 0 not attained; f'' = σ(w)σ(−w) <= 1/4; φ(H1) = 0 for H1 >= 1


def _mp_sup(k, dk, knp, lo=-30.0, hi=60.0, n=1_000_001):
    """sup of k by a 1e6-point float64 grid (``knp``), refined by mpmath findroot of k'."""
    ws = np.linspace(lo, hi, n)
    i = int(np.argmax(knp(ws)))
    try:
        r = mp.findroot(dk, mp.mpf(ws[i]))
        return max(k(r), k(mp.mpf(ws[i])))
    except (ValueError, ZeroDivisionError):
        return k(mp.mpf(ws[i]))


def test_logistic_frontier_against_mpmath():
    c = _cert("logistic")
    assert c.f_star == 0 and c.f_star_attained is False and c.smooth is True
    assert c.min_H0(0.0).value == sp.Rational(1, 4)
    for h in (1.0, 2.0, 5.0):
        assert c.min_H0(h).value == 0
    sig = lambda t: 1 / (1 + mp.exp(-t))
    for h in (0.3, 0.9):
        k = lambda t, h=h: sig(t) * sig(-t) - h * mp.log(1 + mp.exp(-t))
        dk = lambda t, k=k: mp.diff(k, t)
        knp = lambda t, h=h: np.exp(-t) / (1 + np.exp(-t)) ** 2 - h * np.logaddexp(0, -t)
        truth = _mp_sup(k, dk, knp)
        a = c.min_H0(h)
        assert truth > 0 and _contains(a, float(truth), 1e-9), (h, a, truth)


# ---------------------------------------------------------------------------------------------
# brackets (no closed form): sums, checked against mpmath / a 1e6-point grid


def _truth_1d(f):
    """(f*, φ) computed independently: f* by mpmath findroot of f' from the best grid point,
    φ(H1) by a 1e6-point float64 grid refined by mpmath."""
    f1, f2 = sp.diff(f, w), sp.diff(f, w, 2)
    F, F1, F2 = (sp.lambdify(w, e, "mpmath") for e in (f, f1, f2))
    Fn, F2n = sp.lambdify(w, f, "numpy"), sp.lambdify(w, f2, "numpy")
    ws = np.linspace(-12, 12, 1_000_001)
    i = int(np.argmin(Fn(ws)))
    wstar = mp.findroot(F1, mp.mpf(ws[i]))
    fstar = F(wstar)

    def phi(h):
        vals = np.abs(F2n(ws)) - h * (Fn(ws) - float(fstar))
        j = int(np.argmax(vals))
        k = lambda t: abs(F2(t)) - h * (F(t) - fstar)
        try:
            r = mp.findroot(lambda t: mp.diff(k, t), mp.mpf(ws[j]))
            return max(k(r), k(mp.mpf(ws[j]))), float(vals[j])
        except (ValueError, ZeroDivisionError):
            return k(mp.mpf(ws[j])), float(vals[j])
    return fstar, phi


@pytest.mark.parametrize("f", [w**4 + sp.exp(w), w**2 + sp.sin(w)], ids=["quartic+exp", "quadratic+sin"])
def test_brackets_contain_independent_truth(f):
    c = certify(f, w)
    fstar, phi = _truth_1d(f)
    assert isinstance(c.f_star, Bracket) and c.f_star.contains(float(fstar), 1e-12)
    assert c.f_star_attained is True
    for h in (2.0,):
        a = c.min_H0(h)
        assert a.method == "bracket" and a.upper - a.lower < 1e-6 * (1 + a.upper)
        refined, grid = phi(h)
        assert grid <= a.upper + 1e-9                       # grid points are lower bounds
        assert a.lower - 1e-9 <= float(refined) <= a.upper + 1e-9, (h, a, refined)


# ---------------------------------------------------------------------------------------------
# non-smooth functions


@pytest.mark.parametrize("name", ["exp_sq", "exp_exp", "oscillating"])
def test_non_smooth_reported(name):
    e, c = GALLERY[name], _cert(name)
    assert c.smooth is False and "not (H0,H1)-smooth" in c.smooth_reason
    for h in (0.0, 1.0, 1e6):
        assert c.min_H0(h).value is sp.oo
        assert not c.holds(1e9, h)
    assert c.min_H1(1e9).value is sp.oo
    if e.f_star is not None and not isinstance(c.f_star, Bracket):
        assert float(c.f_star) == e.f_star and c.f_star_attained is e.attained


def test_wiggly_quadratic_honest():
    """φ = ∞ for H1 < 4 is not proven by certify (uncertified, huge lower bound);
    for H1 >= 4 the hand bounds 4 <= φ <= 8 must be consistent with the bracket."""
    c = _cert("wiggly_quadratic")
    a = c.min_H0(1.0)
    assert a.method == "uncertified" and a.upper == math.inf and a.lower > 1e6
    b = c.min_H0(4.0)
    assert b.method == "bracket" and b.lower <= 8.0 and b.upper >= 4.0 and b.upper <= 8.0 + 1e-9


# ---------------------------------------------------------------------------------------------
# several variables


def test_two_and_three_variables():
    q = _cert("quad_form")
    assert q.min_H0(0.0).value == 3 and q.f_star == 0 and q.min_H1(2.9).value is sp.oo
    s = _cert("sep_logcosh")
    a = s.min_H0(1.0)
    assert a.method == "box-bracket" and s.box == ((-4.0, 4.0), (-4.0, 4.0))
    assert _contains(a, 1.0, 1e-9) and a.upper - a.lower < 1e-3
    assert s.f_star.contains(0.0, 1e-9)
    z = sp.Symbol("z", real=True)
    t = certify(x**2 + y**2 + 2 * z**2 + x * y, x, y, z)   # eigenvalues 1, 3, 4
    assert t.min_H0(1.0).value == 4 and t.holds(4.0, 0.0) and not t.holds(3.9, 7.0)
    with pytest.raises(ValueError, match="expr"):
        certify(x**2 - y**2, x, y)


# ---------------------------------------------------------------------------------------------
# bad input


def test_bad_input():
    with pytest.raises(TypeError, match="expr"):
        certify("w**2", w)
    with pytest.raises(TypeError, match="expr"):
        certify(3.0, w)
    with pytest.raises(ValueError, match="symbols"):
        certify(w**2 + x**2, w)
    with pytest.raises(ValueError, match="symbols"):
        certify(w**2)
    with pytest.raises(ValueError, match="symbols"):
        certify(w**2, w, x)
    with pytest.raises(ValueError, match="symbols"):
        certify(w**2, w, w)
    a, b, cc, d = sp.symbols("a b c d", real=True)
    with pytest.raises(ValueError, match="symbols"):
        certify(a**2 + b**2 + cc**2 + d**2, a, b, cc, d)
    with pytest.raises(ValueError, match="expr"):
        certify(w**3, w)
    with pytest.raises(ValueError, match="expr"):
        certify(-sp.exp(w), w)
    with pytest.raises(ValueError, match="expr"):
        certify(sp.log(w) ** 2, w)        # not defined on all of R
    with pytest.raises(ValueError, match="expr"):
        certify(w**2 + sp.Abs(w), w)      # not twice differentiable at 0
    c = _cert("quartic")
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="H1"):
            c.min_H0(bad)
        with pytest.raises(ValueError, match="H0"):
            c.min_H1(bad)
        with pytest.raises(ValueError, match="H0"):
            c.holds(bad, 1.0)
        with pytest.raises(ValueError, match="H1"):
            c.holds(1.0, bad)
    with pytest.raises(TypeError, match="H1"):
        c.min_H0("1")


def test_to_dict_roundtrip_fields():
    d = _cert("logistic").to_dict()
    assert d["f_star"] == "0" and d["f_star_attained"] is False and d["smooth"] is True
    b = _cert("logistic").min_H0(0.5).to_dict()
    assert set(b) == {"value", "lower", "upper", "method", "note"}


# ---------------------------------------------------------------------------------------------
# hypothesis: random positive coefficients of sums of gallery functions


@settings(max_examples=6, deadline=None, derandomize=True)
@given(a=st.integers(1, 40), b=st.integers(1, 40), h=st.sampled_from([0.25, 0.5, 1.0, 2.0, 7.0, 20.0]))
def test_random_quartic_plus_quadratic(a, b, h):
    """f = (a/10) w⁴ + (b/10) w²: with u = w², |f''| − H1 f = 2B + (12A − H1 B)u − H1 A u²,
    so φ(H1) = 2B + (12A − H1 B)²/(4 H1 A) if 12A > H1 B, else 2B (A = a/10, B = b/10)."""
    A, B = a / 10, b / 10
    c = certify(sp.Rational(a, 10) * w**4 + sp.Rational(b, 10) * w**2, w)
    truth = 2 * B + (12 * A - h * B) ** 2 / (4 * h * A) if 12 * A > h * B else 2 * B
    ans = c.min_H0(h)
    assert ans.method == "exact" and _contains(ans, truth, 1e-12), (a, b, h, ans, truth)


def test_sum_bracket_is_valid_on_grid(a=3, b=5):
    """f = (a/4) log cosh w + (b/4) log(1 + e^{-w}) (f* not in closed form): the certified
    pair (upper of φ(H1), H1) satisfies the definition on 1e5 grid points, and f* lies in
    its bracket (mpmath root of f')."""
    f = sp.Rational(a, 4) * sp.log(sp.cosh(w)) + sp.Rational(b, 4) * sp.log(1 + sp.exp(-w))
    c = certify(f, w)
    F1 = sp.lambdify(w, sp.diff(f, w), "mpmath")
    wstar = mp.findroot(F1, 0.0)
    fstar = float(sp.lambdify(w, f, "mpmath")(wstar))
    fs = c.f_star
    assert (fs.contains(fstar, 1e-12) if isinstance(fs, Bracket) else abs(float(fs) - fstar) < 1e-12)
    ws = np.linspace(-40, 40, 100_001)
    Fn, F2n = sp.lambdify(w, f, "numpy"), sp.lambdify(w, sp.diff(f, w, 2), "numpy")
    for h in (2.0,):
        ans = c.min_H0(h)
        assert math.isfinite(ans.upper)
        lhs = np.abs(F2n(ws))
        rhs = ans.upper + h * (Fn(ws) - fstar)
        assert np.all(lhs <= rhs + 1e-12)
        assert np.max(lhs - h * (Fn(ws) - fstar)) <= ans.upper + 1e-12


@settings(max_examples=4, deadline=None, derandomize=True)
@given(a=st.integers(1, 9), b=st.integers(1, 9), h=st.sampled_from([0.5, 1.0, 2.5]))
def test_random_exp_plus_mirrored_exp(a, b, h):
    """f = a e^w + b e^{−w} (exp and its mirror): f'' = f, f* = 2√(ab) at w = log(b/a)/2, so
    f'' − H1(f − f*) = (1 − H1)f + H1 f*: φ(H1) = 2√(ab) for H1 >= 1 and ∞ for H1 < 1."""
    c = certify(a * sp.exp(w) + b * sp.exp(-w), w)
    assert c.f_star_attained is True and abs(float(c.f_star) - 2 * math.sqrt(a * b)) < 1e-12
    truth = 2 * math.sqrt(a * b) if h >= 1 else math.inf
    assert _contains(c.min_H0(h), truth), (a, b, h, c.min_H0(h))


@settings(max_examples=4, deadline=None, derandomize=True)
@given(a=st.integers(1, 20), b=st.integers(0, 20), h=st.sampled_from([0.0, 0.3, 4.0]))
def test_random_logcosh_plus_quadratic(a, b, h):
    """f = (a/4) log cosh w + (b/4) w²/2: f'' = (a/4) sech²w + b/4 <= (a + b)/4 with equality
    at w = 0 = argmin f (f* = 0), and −H1·f <= 0: φ ≡ (a + b)/4."""
    c = certify(sp.Rational(a, 4) * sp.log(sp.cosh(w)) + sp.Rational(b, 8) * w**2, w)
    fs = c.f_star  # exact 0, or a certified bracket when sympy cannot solve a·tanh w + b·w = 0
    assert (fs.contains(0.0) if isinstance(fs, Bracket) else fs == 0) and c.f_star_attained is True
    assert _contains(c.min_H0(h), (a + b) / 4), (a, b, h, c.min_H0(h))


# ---------------------------------------------------------------------------------------------
# issue 15: stable normal form, three-valued holds, printed forms


def test_normal_form_rules_are_identities_and_stable():
    """Each rewrite of theory.certify.stable equals the input at 40 digits, and the rewritten f''
    has a finite interval enclosure on the tail [8, ∞) where sympy's own f'' gives [−∞, ∞]."""
    from mpmath import iv

    from warmup_theory.theory.certify import interval as civ
    from warmup_theory.theory.certify.stable import LogSumExp, Softmax, elementary, normalise, stable_diff
    cases = [sp.log(1 + sp.exp(w)), 1 - 1 / (1 + sp.exp(-w)), sp.exp(w) / (1 + sp.exp(w)),
             (1 / (1 + sp.exp(-w))) ** 3, sp.log(sp.exp(w) + sp.exp(-w)) - w, sp.log(3 * sp.cosh(w - 1))]
    for f in cases:
        g = normalise(f, w)
        assert g.has(LogSumExp, Softmax) or "LogCosh" in str(g), (f, g)
        for t in (-40, -2.5, 0, 1.5, 40):
            a, b = (sp.N(e.subs(w, sp.Rational(t)), 40) for e in (f, elementary(g)))
            assert abs(a - b) <= 1e-35 * (1 + abs(a)), (f, g, t)
        enc = civ.compile_iv(stable_diff(g, w, 2), (w,))(iv.mpf([8, "inf"]))
        assert math.isfinite(float(enc.a)) and math.isfinite(float(enc.b)), (f, enc)
    assert normalise(1 - 1 / (1 + sp.exp(-w)), w) == Softmax(1, 0, -w)      # 1 − σ(w) = σ(−w)


def test_holds_is_three_valued_on_exact_answers():
    from warmup_theory.theory.certify import Verdict
    q = _cert("quartic")
    v = q.holds(18.0, 2.0)
    assert isinstance(v, Verdict) and v.value is True and v.state == "true" and "exactly" in v.reason
    assert q.holds(17.0, 2.0) == False  # noqa: E712 - compares the value
    ns = _cert("exp_sq").holds(1e9, 1e9)
    assert ns.value is False and "not (H0,H1)-smooth" in ns.reason
    assert set(v.to_dict()) == {"value", "state", "reason", "on_box", "box"}


def test_answer_str_names_the_method_and_box_brackets_their_box():
    from warmup_theory.theory.certify import BoxBracket
    assert str(_cert("quartic").holds(17.9, 2.0)) == "False"        # as the README prints it
    b = BoxBracket(1.0, 2.0, box=((-4.0, 4.0), (-4.0, 4.0)))
    assert "box" in repr(b) and "[-4, 4]×[-4, 4]" in str(b) and "not global" in str(b)
    assert b.to_dict()["scope"] == "box" and b.contains(1.5)


def test_branch_and_bound_time_cap_keeps_a_valid_bracket():
    from warmup_theory.theory.certify import interval as civ
    fn = civ.compile_iv(sp.sin(7 * w) * sp.exp(-w**2 / 50), (w,))
    r = civ.maximize_1d([fn], tol=1e-15, max_seconds=0.05, max_boxes=10**6)
    k = lambda t: mp.sin(7 * t) * mp.exp(-t**2 / 50)
    top = k(mp.findroot(lambda t: mp.diff(k, t), 0.224))                    # the global maximum
    assert not r.converged and r.lower <= top <= r.upper


def test_deadline_interrupts_puts_the_handler_back_and_leaves_an_enclosing_timer_alone():
    """one_dim_tools.deadline: SIGALRM interrupts a runaway block; afterwards the caller's handler is
    back and no timer runs; inside an enclosing timer (or outside the main thread) it imposes nothing."""
    import signal
    import threading
    import time

    from warmup_theory.theory.certify.one_dim_tools import _Timeout, deadline
    if not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        pytest.skip("no free SIGALRM interval timer here (Windows, or pytest-timeout's)")
    before = signal.getsignal(signal.SIGALRM)
    t0 = time.monotonic()
    with pytest.raises(_Timeout), deadline(0.05):
        while True:
            pass
    assert time.monotonic() - t0 < 5
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
    with deadline(30.0):
        with deadline(0.01):        # the enclosing timer is running: no limit of its own
            time.sleep(0.05)
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0
    done = []

    def worker() -> None:
        with deadline(0.01):         # not the main thread: runs to the end, no signal.signal call
            time.sleep(0.05)
        done.append(True)
    th = threading.Thread(target=worker)
    th.start()
    th.join()
    assert done == [True]
