"""certify on the functions ML uses (issue 15, question 1): the set of >= 40 one-variable functions of
:mod:`warmup_theory.theory.certify.ml_set`, each checked against the independent mpmath reference
(40 digits, grid + findroot, no intervals, no stable normal form); the three-valued ``holds``; the
symbolic-H1 contract; the box-only bracket type in two variables.  Timing is measured in
``benchmarks/certify.py``, never asserted here."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from warmup_theory.theory.certify import BoxBracket, UndecidedError, Verdict, certify
from warmup_theory.theory.certify.ml_set import ML_SET, agrees, decided, reference_fstar, reference_phi, w
from warmup_theory.theory.certify.stable import elementary, normalise, stable_diff


def test_the_set_is_large_and_distinct():
    names = [n for n, _ in ML_SET]
    assert len(ML_SET) >= 40 and len(set(names)) == len(names)
    assert len({sp.srepr(f) for _, f in ML_SET}) == len(ML_SET)
    stable = sum(normalise(f, w) != f for _, f in ML_SET)
    assert stable >= 30  # most are softplus / log-sum-exp / sigmoid / log cosh terms


@pytest.mark.parametrize(("f", "fstar", "h", "phi"), [
    (sp.log(1 + sp.exp(w)), 0.0, 0.0, 0.25),                                  # sup σσ' = 1/4
    (sp.log(1 + sp.exp(w)) + w**2 / 10, None, 0.0, 0.45),                     # 1/5 + 1/4 at w = 0
    (sp.log(sp.cosh(w)), 0.0, 3.0, 1.0),                                      # φ ≡ 1
    (w**4, 0.0, 2.0, 18.0),                                                   # 36/H1
    (sp.exp(w) + w**2, None, 0.5, math.inf),                                  # (1 − H1)e^w -> ∞
])
def test_reference_against_closed_forms(f, fstar, h, phi):
    """The independent reference itself reproduces hand-derived values."""
    if fstar is not None:
        assert abs(reference_fstar(f) - fstar) < 1e-12
    r = reference_phi(f, h)
    assert (r == math.inf) if phi == math.inf else abs(r - phi) < 1e-12 * (1 + phi)


@pytest.mark.parametrize(("name", "f"), ML_SET, ids=[n for n, _ in ML_SET])
def test_ml_function_against_mpmath(name, f):
    """φ(1/2) (and f*) certified — exact or relative width <= 1e-6 — and containing the reference."""
    c = certify(f, w)
    fs = reference_fstar(f)
    assert isinstance(c.f_star_attained, bool), (name, c.f_star_attained)  # attainment decided
    assert c.f_star.contains(fs, 1e-9 * (1 + abs(fs))) if hasattr(c.f_star, "contains") \
        else abs(float(c.f_star) - fs) <= 1e-9 * (1 + abs(fs))
    a = c.min_H0(0.5)
    ref = reference_phi(f, 0.5)
    assert agrees(a, ref), (name, a, ref)
    assert decided(a), (name, a)


def test_normal_form_is_exact():
    """Every rewrite is an identity, and so is every derivative rule of the primitives: the elementary
    form of the normal form and of its first three stable derivatives (what the interval layer
    encloses) equal f and sympy's own three derivatives of f at 7 points (60 digits), including far
    tails where the elementary form itself needs the digits."""
    import mpmath as mp
    with mp.workdps(60):
        for name, f in ML_SET:
            g, fd = normalise(f, w), f
            for n in range(4):
                if n:
                    g, fd = stable_diff(g, w), sp.diff(fd, w)
                F, G = sp.lambdify(w, fd, "mpmath"), sp.lambdify(w, elementary(g), "mpmath")
                for t in (-30, -3.5, -1, 0, 0.7, 4, 25):
                    a, b = F(mp.mpf(t)), G(mp.mpf(t))
                    assert abs(a - b) <= mp.mpf(10) ** -40 * (1 + abs(a)), (name, n, t, a, b)


# ---------------------------------------------------------------------------------------------
# question 1 of the issue, and the three-valued holds


Q1 = sp.log(1 + sp.exp(w)) + w**2 / 10


def test_question_1_softplus_plus_l2():
    """f = log(1 + e^w) + w²/10: f'' = 1/5 + σ(w)σ(−w) <= 9/20 with equality at w = 0, so φ(0) = 0.45;
    φ is non-increasing, and the curvature's frontier is finite for every H1 (smooth)."""
    c = certify(Q1, w)
    assert c.smooth is True and c.f_star_attained is True
    a0 = c.min_H0(0.0)
    assert a0.method == "bracket" and a0.lower <= 0.45 <= a0.upper and a0.upper - a0.lower <= 1e-6 * 0.45
    prev = math.inf
    for h in (0.5, 2.0, 10.0):
        a = c.min_H0(h)
        assert decided(a) and agrees(a, reference_phi(Q1, h)) and a.lower <= prev
        prev = a.upper
    v = c.holds(0.46, 0.0)
    assert isinstance(v, Verdict) and v.value is True and v == True and bool(v)  # noqa: E712
    assert c.holds(0.44, 0.0).state == "false" and not c.holds(0.44, 0.0)


def test_holds_undecided_is_a_value_not_an_exception():
    """H0 exactly on the frontier (φ(0) = 0.45, attained at w = 0): neither side can be certified."""
    v = certify(Q1, w).holds(0.45, 0.0)
    assert v.value is None and v.state == "undecided" and not v.decided and "bracket" in v.reason
    assert "undecided" in str(v) and v.to_dict()["state"] == "undecided"
    with pytest.raises(UndecidedError, match="undecided"):
        bool(v)
    assert issubclass(UndecidedError, ValueError)


def test_symbolic_H1_works_or_says_what_is_supported():
    H = sp.Symbol("H1", positive=True)
    assert sp.simplify(certify(w**4, w).min_H0(H).value - 36 / H) == 0
    with pytest.raises(NotImplementedError, match="supported only where sympy finds it in closed form"):
        certify(Q1, w).min_H0(H)
    x, y = sp.symbols("x y", real=True)
    with pytest.raises(NotImplementedError, match="quadratics"):
        certify(x**4 + y**4, x, y).min_H0(H)


# ---------------------------------------------------------------------------------------------
# two variables: a box-only bracket is its own type, and never a global claim


def test_box_bracket_is_marked_everywhere_and_not_global():
    x, y = sp.symbols("x y", real=True)
    c = certify(x**4 + y**4, x, y)
    a0 = c.min_H0(0.0)          # along the x-axis the curvature is 12t² -> ∞: φ(0) = ∞ on R²
    assert a0.value is sp.oo and a0.method == "exact" and "along" in a0.note
    assert c.holds(1e6, 0.0).value is False
    a = c.min_H0(1.0)
    assert isinstance(a.value, BoxBracket) and a.method == "box-bracket"
    assert a.value.box == ((-4.0, 4.0), (-4.0, 4.0))
    for text in (repr(a), str(a), repr(a.value), str(a.value), str(a.to_dict())):
        assert "box" in text.lower(), text
    assert a.to_dict()["value"]["scope"] == "box"
    assert isinstance(c.f_star, BoxBracket) and "box" in str(c.f_star)
    assert c.smooth is None
    v = c.holds(1e6, 1.0)       # true on the box, but the box says nothing about R²
    assert v.value is None and v.on_box is True and v.box == c.box and "box" in str(v)
