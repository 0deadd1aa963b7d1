"""Claims for the (H0,H1)-class: Prop B.1, the (L0,L1) inclusion, the lemmas, the closure rules.

Each claim records its proof as checked steps (sympy identities / non-negativity
under stated assumptions; ``fact`` for a standard lemma that is cited, with what it
assumes) and ends with a seeded randomized check of its final inequality on random
members of a small gallery whose constants are derived by hand below (and checked
independently in ``tests/test_closure.py`` against finite differences and scipy
minimisation).

Gallery (1-D profiles φ(x), x = w or x = a·w + b; s, b > 0 scales, m a shift, o an offset):

============  ==========================================  ===================  =====
name          φ(x)                                        (H0, H1)             φ*
============  ==========================================  ===================  =====
quad          s(x − m)²/2 + o                             (s, 0)               o
exp           s·e^{±b(x − m)} + o      (φ'' = b²(φ − o))  (0, b²)              o
logistic      s·log(1 + e^{−b(x − m)}) + o  (φ'' <= sb²/4) (s b²/4, 0)          o
cosh          (H0/H1)(cosh(√H1(x − m)) − 1) + o          (H0, H1)             o
quartic       s(x − m)⁴ + o        (12s y <= H0 + H1 s y² ⇔ H0 >= 36 s/H1, y = x²)
                                                          (36 s/H1, H1)        o
logcosh       s·log cosh(b(x − m)) + o   (φ'' <= s b²)    (s b², 0)            o
============  ==========================================  ===================  =====

2-D members: φ(a·w + c) (Hessian φ''·aaᵀ, constants ‖a‖²·(H0, H1), infimum φ*),
separable φ1(w1) + φ2(w2) (Hessian diag, norm max|φi''| <= max H0i + max H1i·(f − f*),
f* = φ1* + φ2*), the radial cosh (H0/H1)(cosh(√H1‖w − m‖) − 1) (eigenvalues
H0 cosh(kr) and H0 sinh(kr)/(kr) <= H0 cosh(kr): (H0, H1)), and quadratics
½(w − m)ᵀQ(w − m) + o with Q ⪰ 0: (‖Q‖, 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from warmup_theory.proofs_checks.framework import Proof, claim
from warmup_theory.theory import closure, lemmas, relations
from warmup_theory.theory.hsmooth import HSmooth

# ---------------------------------------------------------------------------------------
# Gallery with hand-derived constants (module docstring)
# ---------------------------------------------------------------------------------------

Fn = Callable[[np.ndarray], float]


@dataclass(frozen=True)
class Member:
    """A gallery function with hand-derived (H0, H1) and infimum, and a sampling box."""

    name: str
    dim: int
    f: Fn
    grad: Callable[[np.ndarray], np.ndarray]
    hess: Callable[[np.ndarray], np.ndarray]
    f_star: float
    H0: float
    H1: float
    center: np.ndarray
    radius: float  # sample points in center + radius·[−1, 1]^dim keep values moderate

    def point(self, rng: np.random.Generator) -> np.ndarray:
        return self.center + self.radius * rng.uniform(-1.0, 1.0, self.dim)


@dataclass(frozen=True)
class Profile:
    """1-D φ with φ, φ', φ'', constants, infimum and a radius where values stay moderate."""

    name: str
    phi: Callable[[float], float]
    d1: Callable[[float], float]
    d2: Callable[[float], float]
    H0: float
    H1: float
    star: float
    m: float
    radius: float


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def random_profile(rng: np.random.Generator, kind: str | None = None) -> Profile:
    """A random 1-D profile of the gallery table (constants derived by hand)."""
    kinds = ("quad", "exp", "logistic", "cosh", "quartic", "logcosh")
    kind = kind or kinds[rng.integers(len(kinds))]
    s, b = float(rng.uniform(0.2, 3.0)), float(rng.uniform(0.3, 2.0))
    m, o = float(rng.uniform(-2, 2)), float(rng.uniform(-3, 3))
    if kind == "quad":
        return Profile(kind, lambda x: s * (x - m) ** 2 / 2 + o, lambda x: s * (x - m), lambda x: s,
                       s, 0.0, o, m, 4.0)
    if kind == "exp":
        sg = 1.0 if rng.random() < 0.5 else -1.0
        bb = sg * b
        return Profile(kind, lambda x: s * math.exp(bb * (x - m)) + o,
                       lambda x: s * bb * math.exp(bb * (x - m)),
                       lambda x: s * bb * bb * math.exp(bb * (x - m)), 0.0, b * b, o, m, 6.0 / b)
    if kind == "logistic":
        return Profile(kind, lambda x: s * float(np.logaddexp(0.0, -b * (x - m))) + o,
                       lambda x: -s * b * _sigmoid(-b * (x - m)),
                       lambda x: s * b * b * _sigmoid(b * (x - m)) * _sigmoid(-b * (x - m)),
                       s * b * b / 4, 0.0, o, m, 10.0 / b)
    if kind == "cosh":
        H0, H1 = float(rng.uniform(0.1, 3.0)), float(rng.uniform(0.1, 3.0))
        c, k = H0 / H1, math.sqrt(H1)
        return Profile(kind, lambda x: 2 * c * math.sinh(k * (x - m) / 2) ** 2 + o,  # = c(cosh − 1), no cancellation
                       lambda x: c * k * math.sinh(k * (x - m)),
                       lambda x: H0 * math.cosh(k * (x - m)), H0, H1, o, m, 6.0 / k)
    if kind == "quartic":
        H1 = float(rng.uniform(0.1, 5.0))
        return Profile(kind, lambda x: s * (x - m) ** 4 + o, lambda x: 4 * s * (x - m) ** 3,
                       lambda x: 12 * s * (x - m) ** 2, 36 * s / H1, H1, o, m, 3.0)
    if kind == "logcosh":
        def lc(z: float) -> float:
            z = abs(z)
            return z + math.log1p(math.exp(-2 * z)) - math.log(2.0)
        return Profile(kind, lambda x: s * lc(b * (x - m)) + o, lambda x: s * b * math.tanh(b * (x - m)),
                       lambda x: s * b * b / math.cosh(b * (x - m)) ** 2, s * b * b, 0.0, o, m, 10.0 / b)
    raise ValueError(f"kind must be one of {kinds}, got {kind!r}")


def member_1d(p: Profile) -> Member:
    return Member(p.name, 1, lambda w: p.phi(w[0]), lambda w: np.array([p.d1(w[0])]),
                  lambda w: np.array([[p.d2(w[0])]]), p.star, p.H0, p.H1, np.array([p.m]), p.radius)


def random_member(rng: np.random.Generator, dim: int | None = None) -> Member:
    """A random gallery member in dimension 1 or 2 (hand-derived constants)."""
    dim = dim or int(rng.integers(1, 3))
    if dim == 1:
        return member_1d(random_profile(rng))
    choice = int(rng.integers(4))
    if choice == 0:  # ridge φ(a·w + c): Hessian φ''·a aᵀ
        p = random_profile(rng)
        a = rng.normal(size=2)
        a *= rng.uniform(0.5, 1.5) / np.linalg.norm(a)
        c0 = float(rng.normal())
        na2 = float(a @ a)
        # centre on the line a·w + c0 = m, spread along a so a·w + c0 stays within p.radius
        center = a * (p.m - c0) / na2
        return Member(f"ridge-{p.name}", 2, lambda w: p.phi(float(a @ w) + c0),
                      lambda w: p.d1(float(a @ w) + c0) * a,
                      lambda w: p.d2(float(a @ w) + c0) * np.outer(a, a),
                      p.star, na2 * p.H0, na2 * p.H1, center, p.radius / math.sqrt(2 * na2))
    if choice == 1:  # separable φ1(w1) + φ2(w2)
        p1, p2 = random_profile(rng), random_profile(rng)
        return Member(f"sep-{p1.name}+{p2.name}", 2, lambda w: p1.phi(w[0]) + p2.phi(w[1]),
                      lambda w: np.array([p1.d1(w[0]), p2.d1(w[1])]),
                      lambda w: np.diag([p1.d2(w[0]), p2.d2(w[1])]),
                      p1.star + p2.star, max(p1.H0, p2.H0), max(p1.H1, p2.H1),
                      np.array([p1.m, p2.m]), min(p1.radius, p2.radius))
    if choice == 2:  # radial cosh
        H0, H1 = float(rng.uniform(0.1, 3.0)), float(rng.uniform(0.1, 3.0))
        c, k = H0 / H1, math.sqrt(H1)
        m = rng.uniform(-2, 2, 2)

        def hess(w: np.ndarray) -> np.ndarray:
            v = w - m
            r = float(np.linalg.norm(v))
            x = k * r
            tang = H0 * (math.sinh(x) / x if x > 1e-8 else 1.0 + x * x / 6)
            if r == 0.0:
                return tang * np.eye(2)
            e = v / r
            return H0 * math.cosh(x) * np.outer(e, e) + tang * (np.eye(2) - np.outer(e, e))

        def grad(w: np.ndarray) -> np.ndarray:
            v = w - m
            r = float(np.linalg.norm(v))
            return c * k * math.sinh(k * r) * v / r if r > 0 else np.zeros(2)

        return Member("radial-cosh", 2, lambda w: 2 * c * math.sinh(k * float(np.linalg.norm(w - m)) / 2) ** 2,
                      grad, hess, 0.0, H0, H1, m, 4.0 / k)
    Bm = rng.normal(size=(2, 2))
    Q = Bm @ Bm.T
    m, o = rng.uniform(-2, 2, 2), float(rng.uniform(-3, 3))
    return Member("quadratic", 2, lambda w: 0.5 * float((w - m) @ Q @ (w - m)) + o,
                  lambda w: Q @ (w - m), lambda w: Q, o, float(np.linalg.norm(Q, 2)), 0.0, m, 4.0)


def hess_norm(H: np.ndarray) -> float:
    """Spectral norm of a symmetric matrix (largest |eigenvalue|)."""
    return float(np.max(np.abs(np.linalg.eigvalsh(H)))) if H.shape[0] > 1 else abs(float(H[0, 0]))


# ---------------------------------------------------------------------------------------
# Shared symbolic pieces
# ---------------------------------------------------------------------------------------

_s = sp.Symbol("s", nonnegative=True)
_k = sp.Symbol("k", positive=True)


def _comparison_steps(p: Proof) -> None:
    """The comparison principle ψ <= y on s >= 0 (module docstring of warmup_theory.theory.lemmas)."""
    p.cite("ψ(s) = f(w + s u) − f*, ‖u‖ = 1, has ψ'' = uᵀ∇²f u <= ‖∇²f‖₂ <= H0 + H1·ψ for all s "
           "(Rayleigh quotient bound; Definition 3.1 along the whole ray)", standard=True,
           detail="standard: chain rule for s ↦ f(w + su) and the Rayleigh quotient |uᵀMu| <= ‖M‖₂ for ‖u‖ = 1; "
                  "assumes f twice differentiable and (H0,H1)-smooth on R^d")
    e = sp.Function("e")(_s)
    p.identity(sp.diff(sp.exp(-_k * _s) * (e.diff(_s) + _k * e), _s),
               sp.exp(-_k * _s) * (e.diff(_s, 2) - _k**2 * e),
               "(e^{-ks}(e' + k e))' = e^{-ks}(e'' − k² e) for e = y − ψ, k = √H1")
    p.identity(sp.diff(sp.exp(_k * _s) * e, _s), sp.exp(_k * _s) * (e.diff(_s) + _k * e),
               "(e^{ks} e)' = e^{ks}(e' + k e)")
    yf, pf = sp.Function("y")(_s), sp.Function("psi")(_s)
    h0 = sp.Symbol("H0", nonnegative=True)
    ee = yf - pf
    lhs = (ee.diff(_s, 2) - _k**2 * ee).subs(yf.diff(_s, 2), h0 + _k**2 * yf)
    p.identity(lhs, h0 + _k**2 * pf - pf.diff(_s, 2),
               "with y'' = H0 + H1 y (H1 = k²): e'' − k²e = H0 + H1ψ − ψ'' >= 0 (first step)")
    p.cite("e(0) = e'(0) = 0; a differentiable function with non-negative derivative on [0, ∞) is "
           "non-decreasing (mean value theorem), so e^{-ks}(e' + k e) >= 0, then e^{ks} e >= 0: "
           "ψ(s) <= y(s) for all s >= 0 (also for k = 0)", standard=True,
           detail="standard mean value theorem (the ODE comparison principle for e'' − k²e >= 0); no sign "
                  "condition on ψ or y is needed (the ODE is linear and H1 >= 0)")


def _y(H0: sp.Expr, H1: sp.Expr, D: sp.Expr, g: sp.Expr, s: sp.Expr) -> sp.Expr:
    c, k = H0 / H1, sp.sqrt(H1)
    return -c + (D + c) * sp.cosh(k * s) - (g / k) * sp.sinh(k * s)


def _pos_syms():
    return sp.symbols("H0 H1 Delta g eta", positive=True)


# ---------------------------------------------------------------------------------------
# Prop B.1 and the (L0,L1) inclusion
# ---------------------------------------------------------------------------------------

@claim("Prop B.1", "L-smooth (‖∇²f‖₂ <= L) ⇒ (L, 0)-smooth")
def prop_b1(p: Proof) -> None:
    L, D = sp.symbols("L Delta", nonnegative=True)
    p.cite("for twice differentiable f, ‖∇f(x) − ∇f(y)‖ <= L‖x − y‖ ⇔ ‖∇²f‖₂ <= L everywhere", standard=True,
           detail="standard: ∇²f(w)v = lim_t (∇f(w + tv) − ∇f(w))/t and the mean value inequality")
    c = relations.from_l_smooth(L)
    p.identity(c.H0, L, "from_l_smooth(L).H0 = L")
    p.identity(c.H1, 0, "from_l_smooth(L).H1 = 0")
    p.leq(L, c.H0 + c.H1 * D, "‖∇²f‖ <= L <= L + 0·(f − f*)")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        kind = ("quad", "logistic", "logcosh")[rng.integers(3)]
        mem = member_1d(random_profile(rng, kind)) if rng.random() < 0.6 else random_member(rng, 2)
        if mem.H1 != 0.0:  # 2-D draw with H1 > 0: replace by an L-smooth 2-D quadratic
            while mem.H1 != 0.0:
                mem = random_member(rng, 2)
        w = mem.point(rng)
        hs = relations.from_l_smooth(mem.H0)
        return hess_norm(mem.hess(w)), hs.bound(mem.f(w) - mem.f_star)

    p.sample("‖∇²f(w)‖ <= H0 + H1(f − f*) with (H0,H1) = from_l_smooth(L), L-smooth gallery, 1-D/2-D", inst, 300)


@claim("Lemma (L0,L1)⇒(H0,H1)",
       "(L0,L1)-smooth, C², bounded below ⇒ (H0,H1)-smooth, H0 = L0·log(1+x0)/m, H1 = L1²/m, "
       "m = 2log(1+x0) − x0, any x0 ∈ (0,1] (toolkit's own constants)")
def l0l1_inclusion(p: Proof) -> None:
    L0, L1, g, a = sp.symbols("L0 L1 g a", positive=True)
    s = sp.Symbol("s", nonnegative=True)
    p.cite("G(s) = ‖∇f(w + s u)‖ <= g + ∫₀ˢ ‖∇²f(w + τu)u‖ dτ <= g + ∫₀ˢ (L0 + L1 G) (fundamental "
           "theorem of calculus, f ∈ C², ‖u‖ = 1); Grönwall's integral lemma: G + a <= (g + a)e^{L1 s}",
           standard=True, detail="standard: fundamental theorem of calculus, triangle inequality for integrals, "
                                 "Grönwall lemma for continuous G; a = L0/L1")
    B = (g + a) * sp.exp(L1 * s)
    p.identity(B.diff(s) - L1 * B + B.subs(s, 0), g + a,
               "B(s) = (g + a)e^{L1 s}: B' = L1·B, B(0) = g + a, i.e. B = (g + a) + L1∫₀ˢ B (the Grönwall majorant)")
    bound_psi = -g * s + (g + a) * (sp.exp(L1 * s) - 1 - L1 * s) / L1
    p.identity(bound_psi.diff(s, 2), L1 * (g + a) * sp.exp(L1 * s),
               "P(s) = −gs + (g+a)(e^{L1 s} − 1 − L1 s)/L1 has P'' = L1(g + a)e^{L1 s}")
    p.identity(bound_psi.subs(s, 0), 0, "P(0) = 0")
    p.identity(bound_psi.diff(s).subs(s, 0), -g, "P'(0) = −g")
    p.cite("ψ'' <= L0 + L1 G <= L1(g + a)e^{L1 s} = P'', ψ'(0) = −g = P'(0): integrating twice (mean value "
           "theorem), ψ(s) − Δ <= P(s) for s >= 0", standard=True,
           detail="standard: Rayleigh quotient (ψ'' <= ‖∇²f‖₂), the (L0,L1) hypothesis, and the mean value theorem "
                  "applied twice to P − (ψ − Δ) (zero value and slope at 0, non-negative second derivative)")
    x0 = sp.Symbol("x0", positive=True)
    m_expr, r_expr = 2 * sp.log(1 + x0) - x0, x0 - sp.log(1 + x0)
    s0 = sp.log(1 + x0) / L1
    p.identity(L1 * (-bound_psi.subs(s, s0)), m_expr * g - a * r_expr,
               "0 <= ψ(s0), s0 = log(1 + x0)/L1 ⇒ L1Δ >= m g − a r, m = 2log(1+x0) − x0, r = x0 − log(1+x0)")
    v = sp.Symbol("v", nonnegative=True)
    x = sp.Symbol("x", real=True)
    p.identity(sp.diff(2 * sp.log(1 + x) - x, x), (1 - x) / (1 + x), "m'(x) = (1 − x)/(1 + x)")
    p.nonneg(((1 - x) / (1 + x)).subs(x, 1 / (1 + v)), "m'(x) >= 0 on (0, 1] (x = 1/(1 + v), v >= 0)")
    p.identity(sp.diff(x - sp.log(1 + x), x), x / (1 + x), "r'(x) = x/(1 + x)")
    p.nonneg((x / (1 + x)).subs(x, 1 / (1 + v)), "r'(x) >= 0 on (0, 1]")
    p.fact("m(0) = r(0) = 0 (sympy)", bool(m_expr.subs(x0, 0) == 0 and r_expr.subs(x0, 0) == 0))
    p.cite("m(0) = r(0) = 0 and m' > 0 on [0, 1), r' >= 0 ⇒ m(x0) > 0, r(x0) >= 0 for x0 ∈ (0, 1] "
           "(mean value theorem)", standard=True, detail="standard mean value theorem; derivative signs: sympy above")
    msym, rsym, D, sigma = sp.symbols("m r Delta sigma", nonnegative=True)
    msym = sp.Symbol("m", positive=True)
    H0 = L0 * (1 + rsym / msym)
    H1 = L1**2 / msym
    # σ := L1Δ + a r − m g >= 0 is the previous inequality; L0 = a L1
    expr = (H0 + H1 * D - (L0 + L1 * g)).subs(L0, a * L1)
    p.identity(expr, (L1 / msym) * (L1 * D + a * rsym - msym * g),
               "H0 + H1Δ − (L0 + L1 g) = (L1/m)(L1Δ + a r − m g)  with H0 = L0(1 + r/m), H1 = L1²/m")
    p.nonneg((L1 / msym) * sigma, "(L1/m)·σ >= 0 for σ = L1Δ + a r − m g >= 0: ‖∇²f‖ <= L0 + L1 g <= H0 + H1Δ")
    p.nonneg(L0 * rsym / msym, "g = 0: ‖∇²f‖ <= L0 <= H0 (H0 − L0 = L0 r/m >= 0)")
    p.identity(L0 * (1 + r_expr / m_expr), relations.from_l0_l1(L0, L1, x0=x0).H0,
               "from_l0_l1 H0 = L0(1 + r/m) = L0·log(1+x0)/m")
    p.identity(L1**2 / m_expr, relations.from_l0_l1(L0, L1, x0=x0).H1, "from_l0_l1 H1 = L1²/m")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        x0v = 1.0 if rng.random() < 0.5 else float(rng.uniform(0.05, 1.0))
        kind = int(rng.integers(5))
        s_, b = float(rng.uniform(0.2, 3.0)), float(rng.uniform(0.3, 2.0))
        if kind == 0:  # s e^{bx}: f'' = b|f'| → (L0, L1) = (0, b), f* = 0
            L0v, L1v, x = 0.0, b, float(rng.uniform(-8, 8)) / b
            val, hn = s_ * math.exp(b * x), s_ * b * b * math.exp(b * x)
        elif kind == 1:  # s(cosh(bx) − 1): f'' = s b² cosh <= s b² + b|f'| → (s b², b)
            L0v, L1v, x = s_ * b * b, b, float(rng.uniform(-8, 8)) / b
            val, hn = s_ * (math.cosh(b * x) - 1), s_ * b * b * math.cosh(b * x)
        elif kind == 2:  # logistic s log(1 + e^{-bx}): f'' = s b² σ(1 − σ) <= b|f'| → (0, b)
            L0v, L1v, x = 0.0, b, float(rng.uniform(-12, 12)) / b
            val = s_ * float(np.logaddexp(0.0, -b * x))
            hn = s_ * b * b * _sigmoid(b * x) * _sigmoid(-b * x)
        elif kind == 3:  # log-cosh s log cosh(bx): f'' <= s b² → (s b², any L1)
            L0v, L1v, x = s_ * b * b, float(rng.uniform(0, 2)), float(rng.uniform(-12, 12)) / b
            val = s_ * (abs(b * x) + math.log1p(math.exp(-2 * abs(b * x))) - math.log(2.0))
            hn = s_ * b * b / math.cosh(b * x) ** 2
        else:  # 2-D e^{w1} + e^{w2}: ‖∇²f‖ = max e^{wi} <= ‖∇f‖ → (0, 1)
            L0v, L1v = 0.0, 1.0
            w = rng.uniform(-8, 8, 2)
            val, hn = float(np.exp(w).sum()), float(np.exp(w).max())
        hs = relations.from_l0_l1(L0v, L1v, x0=x0v)
        return hn, hs.bound(val)

    p.sample("‖∇²f‖ <= H0 + H1(f − f*) on (L0,L1)-smooth examples (exp, cosh, logistic, log-cosh, 2-D exp-sum), "
             "random x0", inst, 400)


# ---------------------------------------------------------------------------------------
# Lemmas
# ---------------------------------------------------------------------------------------

@claim("Lemma gradient bound", "(H0,H1)-smooth ⇒ ‖∇f(w)‖² <= 2·H0·Δ + H1·Δ², Δ = f(w) − f*")
def gradient_bound(p: Proof) -> None:
    H0, H1, D, g, _ = _pos_syms()
    s = sp.Symbol("s", nonnegative=True)
    _comparison_steps(p)
    y = _y(H0, H1, D, g, s)
    p.identity(y.diff(s, 2), H0 + H1 * y, "y'' = H0 + H1·y for y = −c + (Δ+c)cosh(√H1 s) − (g/√H1)sinh(√H1 s)")
    p.identity(y.subs(s, 0), D, "y(0) = Δ")
    p.identity(y.diff(s).subs(s, 0), -g, "y'(0) = −g = ψ'(0) along u = −∇f/g")
    A, c, x = sp.symbols("A c x", positive=True)
    Bq, dq = sp.symbols("B d", positive=True)
    Aq = Bq + dq  # case B < A
    R = sp.sqrt(Aq**2 - Bq**2)
    p.identity((Aq / R) ** 2 - (Bq / R) ** 2, 1,
               "case B = g/√H1 < A = Δ + c: x* = artanh(B/A) > 0 has cosh x* = A/R, sinh x* = B/R, "
               "R = √(A² − B²) (cosh² − sinh² = 1)")
    p.identity(-c + Aq * (Aq / R) - Bq * (Bq / R), -c + R, "y(x*) = −c + A cosh x* − B sinh x* = −c + √(A² − B²)")
    Ae, Be, ce = D + H0 / H1, g / sp.sqrt(H1), H0 / H1
    p.identity(H1 * (Ae**2 - Be**2 - ce**2), 2 * H0 * D + H1 * D**2 - g**2,
               "0 <= y(s*) ⇔ A² − B² >= c² ⇔ g² <= 2H0Δ + H1Δ² (times H1 > 0)")
    B2 = sp.Symbol("B", positive=True)
    p.identity(((-c + A * sp.cosh(x) - B2 * sp.sinh(x)) - (-c + A * sp.exp(-x))).rewrite(sp.exp),
               ((A - B2) * sp.sinh(x)).rewrite(sp.exp),
               "case B >= A: y = −c + A e^{−x} + (A − B) sinh(x) <= −c + A e^{−x} (x = √H1 s), "
               "which is < 0 for large s "
               "when c > 0 (and → −∞ when B > A): contradiction with y >= ψ >= 0; so B < A (or B = A, c = 0)")
    p.identity((2 * H0 * D + H1 * D**2).subs(H0, 0), H1 * (D + 0 / H1) ** 2,
               "H0 = 0 (c = 0): 2H0Δ + H1Δ² = H1·A², so B <= A ⇔ g² <= 2H0Δ + H1Δ²")
    yc = D - g * s + H0 * s**2 / 2
    p.identity(yc.diff(s, 2), H0, "H1 = 0: y = Δ − gs + H0s²/2 solves y'' = H0")
    p.identity(yc.subs(s, g / H0), D - g**2 / (2 * H0), "H1 = 0: y(g/H0) = Δ − g²/(2H0) >= 0 ⇔ g² <= 2H0Δ "
               "(H0 = H1 = 0: y = Δ − gs → −∞ unless g = 0)")
    p.identity(lemmas.gradient_norm_bound(H0, H1, D) ** 2, 2 * H0 * D + H1 * D**2,
               "gradient_norm_bound(H0, H1, Δ)² = 2H0Δ + H1Δ²")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem = random_member(rng)
        w = mem.point(rng)
        return float(np.linalg.norm(mem.grad(w))), lemmas.gradient_norm_bound(mem.H0, mem.H1, mem.f(w) - mem.f_star)

    p.sample("‖∇f(w)‖ <= gradient_norm_bound(H0, H1, f(w) − f*) on random gallery members", inst, 400)


@claim("Lemma gradient bound tightness",
       "equality ‖∇f‖² = 2H0Δ + H1Δ² at every w for f = (H0/H1)(cosh(√H1 w) − 1), f* = 0")
def gradient_bound_tight(p: Proof) -> None:
    H0, H1 = sp.symbols("H0 H1", positive=True)
    w = sp.Symbol("w", real=True)
    f = H0 / H1 * (sp.cosh(sp.sqrt(H1) * w) - 1)
    p.identity(f.diff(w, 2), H0 + H1 * f, "f'' = H0 + H1·f (so f is (H0,H1)-smooth with equality)")
    p.identity(f, 2 * H0 / H1 * sp.sinh(sp.sqrt(H1) * w / 2) ** 2, "f = (2H0/H1) sinh²(√H1 w/2)")
    p.nonneg(2 * H0 / H1 * sp.sinh(sp.sqrt(H1) * w / 2) ** 2, "f >= 0 = f(0): f* = 0")
    p.identity(f.diff(w) ** 2, 2 * H0 * f + H1 * f**2, "f'(w)² = 2H0 f(w) + H1 f(w)² for every w (equality)")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        h0, h1 = float(rng.uniform(0.05, 5)), float(rng.uniform(0.05, 5))
        c, k = h0 / h1, math.sqrt(h1)
        x = float(rng.uniform(-8, 8)) / k
        return lemmas.gradient_norm_bound(h0, h1, c * (math.cosh(k * x) - 1)), abs(c * k * math.sinh(k * x))

    p.sample("reverse inequality gradient_norm_bound <= |f'(w)| on the cosh function (float64)", inst, 300)


def _descent_instance(rng: np.random.Generator, eta_of: Callable[[Member, float, float, np.random.Generator], float]
                      ) -> tuple[Member, np.ndarray, float, float, float, float]:
    mem = random_member(rng)
    w = mem.point(rng)
    gvec = mem.grad(w)
    gap, g = mem.f(w) - mem.f_star, float(np.linalg.norm(gvec))
    eta = eta_of(mem, gap, g, rng)
    return mem, w, gap, g, eta, mem.f(w - eta * gvec) - mem.f_star


@claim("Lemma comparison descent",
       "f(w − η∇f) − f* <= −c + (Δ+c)cosh(t) − (g/√H1)sinh(t), c = H0/H1, t = √H1ηg, every η >= 0; "
       "H1 → 0: Δ − ηg² + H0η²g²/2; equality on the cosh function")
def comparison_descent(p: Proof) -> None:
    H0, H1, D, g, eta = _pos_syms()
    s = sp.Symbol("s", nonnegative=True)
    _comparison_steps(p)
    y = _y(H0, H1, D, g, s)
    p.identity(y.diff(s, 2) - H1 * y, H0, "y'' = H0 + H1 y")
    p.identity(y.subs(s, 0), D, "y(0) = Δ")
    p.identity(y.diff(s).subs(s, 0), -g, "y'(0) = −g")
    p.identity(y.subs(s, eta * g), lemmas.descent_bound(H0, H1, D, g, eta),
               "w⁺ = w + (ηg)·u, u = −∇f/g: f(w⁺) − f* = ψ(ηg) <= y(ηg) = descent_bound(H0, H1, Δ, g, η)")
    k = sp.Symbol("k", positive=True)
    yk = -H0 / k**2 + (D + H0 / k**2) * sp.cosh(k * eta * g) - (g / k) * sp.sinh(k * eta * g)
    p.identity(sp.limit(yk, k, 0), D - eta * g**2 + H0 * eta**2 * g**2 / 2,
               "H1 = k² → 0: the bound tends to the L-smooth descent lemma Δ − ηg² + H0η²g²/2")
    h0z = sp.Symbol("H0z", nonnegative=True)
    p.identity(lemmas.descent_bound(0, H1, D, g, eta),
               D * sp.cosh(sp.sqrt(H1) * eta * g) - g / sp.sqrt(H1) * sp.sinh(sp.sqrt(H1) * eta * g),
               "H0 = 0 (c = 0): Δcosh t − (g/√H1) sinh t")
    p.identity(lemmas.descent_bound(h0z, 0, D, g, eta), D - eta * g**2 + h0z * eta**2 * g**2 / 2,
               "H1 = 0 exactly: descent_bound returns the classical form")
    w, T = sp.symbols("w T", positive=True)
    kk = sp.sqrt(H1)
    f = lambda x: H0 / H1 * (sp.cosh(kk * x) - 1)
    gw = f(w).diff(w)
    # t = √H1·η·g is renamed T (η = T/(√H1 g)) so that sympy sees independent arguments
    p.identity(f(w - T / kk), lemmas.descent_bound(H0, H1, f(w), gw, eta).subs(eta, T / (kk * gw)),
               "equality on f = (H0/H1)(cosh(√H1 w) − 1) at w > 0 (w < 0 by symmetry): "
               "f(w − η f'(w)) = descent_bound(H0, H1, f(w), f'(w), η)")

    def eta_of(mem: Member, gap: float, g: float, rng: np.random.Generator) -> float:
        L = mem.H0 + mem.H1 * gap
        return float(rng.uniform(0, 8.0)) / L if L > 0 else 0.0

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem, w, gap, g, eta, actual = _descent_instance(rng, eta_of)
        return actual, lemmas.descent_bound(mem.H0, mem.H1, gap, g, eta)

    p.sample("f(w − η∇f) − f* <= descent_bound on random members, η ∈ [0, 8/(H0 + H1Δ)]", inst, 400, atol=1e-10)

    def inst_cosh(rng: np.random.Generator) -> tuple[float, float]:
        pr = random_profile(rng, "cosh")
        x = pr.m + pr.radius * float(rng.uniform(-1, 1))
        gap, d1 = pr.phi(x) - pr.star, pr.d1(x)
        eta = float(rng.uniform(0, 3)) / (pr.H0 + pr.H1 * gap)
        return lemmas.descent_bound(pr.H0, pr.H1, gap, abs(d1), eta), (pr.phi(x - eta * d1) - pr.star)

    p.sample("reverse inequality (equality) descent_bound <= f(w⁺) − f* on the cosh function", inst_cosh, 200,
             rtol=1e-8, atol=1e-9)


@claim("Lemma safe step",
       "descent_bound <= Δ iff η <= η_max = (2/L)·artanh(z)/z, L = H0 + H1Δ, z = g√H1/L; for η <= η_max "
       "f(w − η∇f) − f* <= Δ − η(1 − Lη/2)g², and η_max >= 2/L")
def safe_step(p: Proof) -> None:
    A, B, x, c = sp.symbols("A B x c", positive=True)
    p.identity(((-c + A * sp.cosh(x) - B * sp.sinh(x)) - (A - c)).rewrite(sp.exp),
               (sp.sinh(x) * (A * sp.tanh(x / 2) - B)).rewrite(sp.exp),
               "y − Δ = A(cosh x − 1) − B sinh x = sinh(x)(A tanh(x/2) − B), x = √H1·η·g, A = Δ + c, B = g/√H1")
    p.cite("sinh x > 0 for x > 0 and tanh is increasing with range (0, 1): y <= Δ ⇔ x <= 2·artanh(B/A) "
           "(B <= A by the gradient bound: A² − B² >= c²)", standard=True,
           detail="standard monotonicity of sinh, tanh, artanh; B <= A is the claim 'Lemma gradient bound' (proved)")
    H0, H1, D, g, eta = _pos_syms()
    L = H0 + H1 * D
    z = g * sp.sqrt(H1) / L
    p.identity((g / sp.sqrt(H1)) / (D + H0 / H1), z, "B/A = g√H1/(H0 + H1Δ) = z")
    p.identity(2 * sp.atanh(z) / (sp.sqrt(H1) * g), lemmas.safe_step_max(H0, H1, D, g),
               "η_max = x_max/(√H1 g) = 2artanh(z)/(√H1 g) = safe_step_max(H0, H1, Δ, g)")
    p.identity(2 * sp.atanh(z) / (sp.sqrt(H1) * g), 2 * sp.atanh(z) / (z * L), "η_max = (2/L)·artanh(z)/z")
    zz = sp.Symbol("z", nonnegative=True)
    p.identity(sp.diff(sp.atanh(zz) - zz, zz), zz**2 / (1 - zz**2), "(artanh z − z)' = z²/(1 − z²)")
    u = sp.Symbol("u", positive=True)
    p.nonneg((zz**2 / (1 - zz**2)).subs(zz, 1 / (1 + u)), "z²/(1 − z²) >= 0 on (0, 1) (z = 1/(1 + u), u > 0)")
    p.cite("artanh(0) = 0 and (artanh z − z)' >= 0 ⇒ artanh(z)/z >= 1 ⇒ η_max >= 2/L (mean value theorem)",
           standard=True, detail="standard mean value theorem; derivative sign: sympy above")
    _comparison_steps(p)
    s = sp.Symbol("s", nonnegative=True)
    q = D - g * s + L * s**2 / 2
    p.identity(q.diff(s, 2), L, "q(s) = Δ − gs + Ls²/2: q'' = L")
    p.identity(q.subs(s, 0) + q.diff(s).subs(s, 0), D - g, "q(0) = Δ, q'(0) = −g (q(0) = Δ, q' = −g + Ls)")
    p.cite("for η <= η_max: ψ(s) <= y(s) <= Δ on [0, ηg] (first identity), so ψ'' <= H0 + H1ψ <= L there, and "
           "the comparison with k = 0 (q − ψ has non-negative second derivative, zero data) gives ψ(ηg) <= q(ηg)",
           standard=True, detail="ODE comparison principle (the mean-value-theorem steps above) with k = 0 on [0, ηg]; "
                                 "y <= Δ there by the first identity and monotonicity of tanh")
    p.identity(q.subs(s, eta * g), lemmas.quadratic_descent_bound(H0, H1, D, g, eta),
               "q(ηg) = Δ − η(1 − Lη/2)g² = quadratic_descent_bound")

    def eta_safe(mem: Member, gap: float, g: float, rng: np.random.Generator) -> float:
        em = lemmas.safe_step_max(mem.H0, mem.H1, gap, g)
        L = mem.H0 + mem.H1 * gap
        return float(rng.uniform(0, 1)) * (em if math.isfinite(em) else 10.0 / max(L, 1e-12))

    def inst_quad(rng: np.random.Generator) -> tuple[float, float]:
        mem, w, gap, g, eta, actual = _descent_instance(rng, eta_safe)
        return actual, lemmas.quadratic_descent_bound(mem.H0, mem.H1, gap, g, eta)

    def inst_gap(rng: np.random.Generator) -> tuple[float, float]:
        mem, w, gap, g, eta, actual = _descent_instance(rng, eta_safe)
        return actual, gap

    p.sample("f(w − η∇f) − f* <= quadratic_descent_bound for η ∈ [0, η_max], random members", inst_quad, 300,
             atol=1e-10)
    p.sample("f(w − η∇f) <= f(w) for η ∈ [0, η_max], random members", inst_gap, 300, atol=1e-10)

    def inst_max(rng: np.random.Generator) -> tuple[float, float]:
        pr = random_profile(rng, "cosh")
        x = pr.m + pr.radius * float(rng.uniform(0.05, 1)) * (1 if rng.random() < 0.5 else -1)
        gap, d1 = pr.phi(x) - pr.star, pr.d1(x)
        eta = lemmas.safe_step_max(pr.H0, pr.H1, gap, abs(d1)) * float(rng.uniform(1.01, 2.0))
        return gap, pr.phi(x - eta * d1) - pr.star

    p.sample("maximality: on the cosh function f(w − η∇f) > f(w) for η ∈ [1.01, 2]·η_max", inst_max, 200,
             rtol=0.0, atol=0.0)


# ---------------------------------------------------------------------------------------
# Closure rules
# ---------------------------------------------------------------------------------------

def _piecewise_equal(a: sp.Expr, b: sp.Expr) -> bool:
    diff = sp.piecewise_fold(a.rewrite(sp.Piecewise) - b.rewrite(sp.Piecewise))
    return bool(sp.simplify(diff) == 0)


def _grid_min(fn: Fn, mem_pts: list[np.ndarray]) -> float:
    return min(fn(w) for w in mem_pts)


@claim("Prop B.2", "h = f + g is (H0f + H0g + H1(h* − f* − g*), H1)-smooth, H1 = max(H1f, H1g) (corrected)")
def prop_b2(p: Proof) -> None:
    H0f, H1f, H0g, H1g, df, dg, pf, pg = sp.symbols("H0f H1f H0g H1g df dg p q", nonnegative=True)
    fs, gs, hs, hval = sp.symbols("f_s g_s h_s h", real=True)
    p.cite("‖∇²(f + g)‖₂ <= ‖∇²f‖₂ + ‖∇²g‖₂ (triangle inequality of the spectral norm)", standard=True)
    H1 = sp.Max(H1f, H1g)
    p.fact("max(H1f, H1g) − H1f = max(0, H1g − H1f) (sympy: piecewise forms agree)",
           _piecewise_equal(sp.Max(H1f, H1g) - H1f, sp.Max(0, H1g - H1f)))
    p.nonneg(sp.Max(0, H1g - H1f), "H1 − H1f = max(0, H1g − H1f) >= 0")
    p.nonneg(sp.Max(0, H1f - H1g), "H1 − H1g = max(0, H1f − H1g) >= 0")
    # p = H1 − H1f, q = H1 − H1g, df = f − f* >= 0, dg = g − g* >= 0
    p.leq(H0f + H1f * df + H0g + H1g * dg, H0f + H0g + (H1f + pf) * df + (H1g + pg) * dg,
          "H0f + H1f(f − f*) + H0g + H1g(g − g*) <= H0f + H0g + H1(f − f* + g − g*)")
    lhs = H0f + H0g + H1 * (hval - fs - gs)
    p.identity(lhs, (H0f + H0g + H1 * (hs - fs - gs)) + H1 * (hval - hs),
               "H0f + H0g + H1(h − f* − g*) = [H0f + H0g + H1(h* − f* − g*)] + H1(h − h*)")
    p.cite("h* = inf(f + g) >= inf f + inf g = f* + g*, so H0 >= 0", standard=True,
           detail="standard: inf(f + g) >= inf f + inf g; H1 >= 0")
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.add(HSmooth(H0f, H1f), HSmooth(H0g, H1g), f_star=fs, g_star=gs, h_star=fs + gs + sh)
    p.identity(out.H0, H0f + H0g + H1 * sh, "closure.add returns H0 = H0f + H0g + H1(h* − f* − g*)")
    p.identity(out.H1, H1, "closure.add returns H1 = max(H1f, H1g)")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        dim = int(rng.integers(1, 3))
        f, g = random_member(rng, dim), random_member(rng, dim)
        center = f.center if rng.random() < 0.5 else g.center
        rad = min(f.radius, g.radius)
        pts = [center + rad * rng.uniform(-1, 1, dim) for _ in range(8)]
        h = lambda w: f.f(w) + g.f(w)
        # h_star: min over sample points, an upper bound of inf h, hence admissible; the checked
        # inequality H0 + H1(h − h*) = H0f + H0g + H1(h − f* − g*) does not depend on it.
        h_star = max(_grid_min(h, pts), f.f_star + g.f_star)
        c = closure.add(HSmooth(f.H0, f.H1), HSmooth(g.H0, g.H1), f_star=f.f_star, g_star=g.f_star, h_star=h_star)
        w = pts[0]
        return hess_norm(f.hess(w) + g.hess(w)), c.bound(h(w) - h_star)

    p.sample("‖∇²h(w)‖ <= H0 + H1(h(w) − h*) for h = f + g, random gallery pairs (1-D/2-D)", inst, 300)


@claim("Prop B.2 (printed)",
       "printed: H0 = H0f + H0g + H1·h* − H1f·f* − H1g·g*, H1 = max(H1f, H1g)", printed=True)
def prop_b2_printed(p: Proof) -> None:
    H0f, H1f, H0g, H1g = sp.symbols("H0f H1f H0g H1g", nonnegative=True)
    fs, gs, hs = sp.symbols("f_s g_s h_s", real=True)
    H1 = sp.Max(H1f, H1g)
    pr = closure.add_printed(HSmooth(H0f, H1f), HSmooth(H0g, H1g), f_star=fs, g_star=gs, h_star=hs)
    cor = closure.add(HSmooth(H0f, H1f), HSmooth(H0g, H1g), f_star=fs, g_star=gs, h_star=hs)
    p.identity(pr.H0 - cor.H0, (H1 - H1f) * fs + (H1 - H1g) * gs,
               "printed − corrected H0 = (H1 − H1f)f* + (H1 − H1g)g*: equal iff this vanishes; printed "
               "is valid (larger) when f*, g* >= 0, and too small when an infimum is negative")
    w = sp.Symbol("w", real=True)
    f, g = w**2 / 2 + 1, w**2 / 2 - 1
    Hf, Hg, f_star, g_star, h_star = HSmooth(1, 1), HSmooth(1, 0), 1, -1, 0
    p.nonneg(Hf.H0 + Hf.H1 * (f - f_star) - sp.Abs(f.diff(w, 2)), "f = w²/2 + 1 is (1, 1)-smooth, f* = 1")
    p.nonneg(Hg.H0 + Hg.H1 * (g - g_star) - sp.Abs(g.diff(w, 2)), "g = w²/2 − 1 is (1, 0)-smooth, g* = −1")
    h = sp.expand(f + g)
    p.identity(h, w**2, "h = f + g = w², h* = 0")
    printed = closure.add_printed(Hf, Hg, f_star=f_star, g_star=g_star, h_star=h_star)
    corrected = closure.add(Hf, Hg, f_star=f_star, g_star=g_star, h_star=h_star)
    p.nonneg(corrected.H0 + corrected.H1 * (h - h_star) - sp.Abs(h.diff(w, 2)),
             f"corrected rule on the same instance: (H0, H1) = ({corrected.H0}, {corrected.H1}) holds everywhere")
    hess0 = float(sp.Abs(h.diff(w, 2)).subs(w, 0))
    bound0 = float(printed.H0 + printed.H1 * (h.subs(w, 0) - h_star))
    p.witness("printed Prop B.2 violated at w = 0 although its H0 >= 0", hess0 > bound0,
              f=str(f), g=str(g), H0f=1, H1f=1, f_star=f_star, H0g=1, H1g=0, g_star=g_star, h=str(h),
              h_star=h_star, printed_H0=printed.H0, printed_H1=printed.H1, point=0.0,
              hessian_norm=hess0, printed_bound=bound0)
    f2 = w**2 / 2 + 5
    p.nonneg(1 + (f2 - 5) - 1, "f = w²/2 + 5 is (1, 1)-smooth, f* = 5")
    pr2 = closure.add_printed(HSmooth(1, 1), HSmooth(1, 0), f_star=5, g_star=-5, h_star=0)
    p.witness("printed H0 < 0 (Definition 3.1 needs H0 >= 0) for f = w²/2 + 5, g = w²/2 − 5", float(pr2.H0) < 0,
              f=str(f2), g=str(w**2 / 2 - 5), H0f=1, H1f=1, f_star=5, H0g=1, H1g=0, g_star=-5, h_star=0,
              printed_H0=pr2.H0, printed_H1=pr2.H1)


@claim("Closure scale", "c·f is (c·H0, H1)-smooth for c > 0, with (cf)* = c·f*")
def closure_scale(p: Proof) -> None:
    c = sp.Symbol("c", positive=True)
    H0, H1, fv, fs = sp.symbols("H0 H1 f f_s", real=True)
    p.cite("‖∇²(cf)‖ = c‖∇²f‖ and inf(cf) = c·inf f for c > 0", standard=True,
           detail="standard: linearity of ∇², absolute homogeneity of the norm, inf(cf) = c·inf f for c > 0")
    p.identity(c * (H0 + H1 * (fv - fs)), c * H0 + H1 * (c * fv - c * fs),
               "c(H0 + H1(f − f*)) = cH0 + H1(cf − (cf)*)")
    h0, h1 = sp.symbols("H0 H1", nonnegative=True)
    out = closure.scale(c, HSmooth(h0, h1))
    p.identity(out.H0, c * h0, "closure.scale returns H0' = cH0")
    p.identity(out.H1, h1, "closure.scale returns H1' = H1")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem = random_member(rng)
        cv = float(np.exp(rng.uniform(-3, 3)))
        out = closure.scale(cv, HSmooth(mem.H0, mem.H1))
        w = mem.point(rng)
        return cv * hess_norm(mem.hess(w)), out.bound(cv * mem.f(w) - cv * mem.f_star)

    p.sample("‖∇²(cf)‖ <= cH0 + H1(cf − cf*), random members, c ∈ [e^-3, e^3]", inst, 300)


@claim("Closure affine", "h(w) = f(Aw + b) is (‖A‖²(H0 + H1(h* − f*)), ‖A‖²H1)-smooth; h* >= f* (= if A onto)")
def closure_affine(p: Proof) -> None:
    a2 = sp.Symbol("a2", nonnegative=True)
    H0, H1, D, hv, hs, fs = sp.symbols("H0 H1 M h h_s f_s", real=True)
    p.cite("∇²h(w) = Aᵀ∇²f(Aw + b)A and ‖AᵀMA‖₂ <= ‖A‖₂²‖M‖₂ (submultiplicativity)", standard=True,
           detail="standard: Hessian of an affine composition; submultiplicativity of the spectral norm, ‖Aᵀ‖₂ = ‖A‖₂")
    p.identity(a2 * (H0 + H1 * (hv - fs)), a2 * (H0 + H1 * (hs - fs)) + a2 * H1 * (hv - hs),
               "‖A‖²(H0 + H1(f(Aw+b) − f*)) = ‖A‖²(H0 + H1(h* − f*)) + ‖A‖²H1(h − h*)")
    p.cite("h* = inf f(Aw + b) >= inf f = f*, with equality when A is onto (h takes all of f's values)",
           standard=True, detail="standard: an infimum over a subset of the values is >= the infimum over all")
    h0, h1, sh = sp.symbols("H0 H1 sh", nonnegative=True)
    A = sp.Symbol("A", nonnegative=True)
    out = closure.compose_affine(HSmooth(h0, h1), A, f_star=fs, h_star=fs + sh)
    p.identity(out.H0, A**2 * (h0 + h1 * sh), "closure.compose_affine returns H0' = ‖A‖²(H0 + H1(h* − f*))")
    p.identity(out.H1, A**2 * h1, "closure.compose_affine returns H1' = ‖A‖²H1")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        mem = random_member(rng)
        d = int(rng.integers(1, 4))
        Am = rng.normal(size=(mem.dim, d)) * rng.uniform(0.2, 1.5)
        # choose b so that Aw + b lands in the member's box for w in a small box
        w0 = rng.normal(size=d)
        b = mem.point(rng) - Am @ w0
        anorm = float(np.linalg.norm(Am, 2))
        rad = mem.radius / (2 * max(anorm, 1e-9) * math.sqrt(d))
        pts = [w0 + rad * rng.uniform(-1, 1, d) for _ in range(6)]
        h = lambda w: mem.f(Am @ w + b)
        h_star = max(_grid_min(h, pts), mem.f_star)  # admissible upper bound of inf h (checked bound is h*-free)
        out = closure.compose_affine(HSmooth(mem.H0, mem.H1), anorm, f_star=mem.f_star, h_star=h_star)
        w = pts[0]
        return hess_norm(Am.T @ mem.hess(Am @ w + b) @ Am), out.bound(h(w) - h_star)

    p.sample("‖∇²h(w)‖ <= H0 + H1(h − h*) for h = f(Aw + b), random A (m×d, d <= 3), random members", inst, 300)


@claim("Closure average", "(1/n)Σf_i is (avg H0i + max H1i·(h* − avg f_i*), max H1i)-smooth")
def closure_average(p: Proof) -> None:
    n = 3
    H0 = sp.symbols("H0_1:4", nonnegative=True)
    H1 = sp.symbols("H1_1:4", nonnegative=True)
    d = sp.symbols("d1:4", nonnegative=True)  # f_i − f_i*
    st = sp.symbols("s1:4", real=True)
    H1m = sp.Max(*H1)
    p.cite("‖∇²(avg f_i)‖ <= avg ‖∇²f_i‖ (triangle inequality); h* = inf avg f_i >= avg f_i*", standard=True,
           detail="standard: triangle inequality of the spectral norm; inf Σ f_i >= Σ inf f_i")
    for i in range(n):
        p.nonneg(sp.Max(0, *[H1[j] - H1[i] for j in range(n) if j != i]),
                 f"max H1 − H1_{i + 1} = max(0, H1_j − H1_{i + 1}) >= 0")
    slack = sp.symbols("p1:4", nonnegative=True)  # max H1 − H1i
    p.leq(sum(H0[i] + H1[i] * d[i] for i in range(n)) / n,
          sum(H0) / n + sum((H1[i] + slack[i]) * d[i] for i in range(n)) / n,
          "avg(H0i + H1i(f_i − f_i*)) <= avg H0 + max H1 · avg(f_i − f_i*)  (n = 3 shown; same for any n)")
    hs, hv = sp.symbols("h_s h", real=True)
    p.identity(sum(H0) / n + H1m * (hv - sum(st) / n),
               (sum(H0) / n + H1m * (hs - sum(st) / n)) + H1m * (hv - hs),
               "avg H0 + H1(h − avg f*) = [avg H0 + H1(h* − avg f*)] + H1(h − h*)")
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.average([HSmooth(H0[i], H1[i]) for i in range(n)], f_stars=list(st), h_star=sum(st) / n + sh)
    p.identity(out.H0, sum(H0) / n + H1m * sh, "closure.average returns H0 = avg H0 + max H1·(h* − avg f*)")
    p.identity(out.H1, H1m, "closure.average returns H1 = max H1")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        dim, k = int(rng.integers(1, 3)), int(rng.integers(1, 5))
        ms = [random_member(rng, dim) for _ in range(k)]
        rad = min(m.radius for m in ms)
        center = ms[int(rng.integers(k))].center
        pts = [center + rad * rng.uniform(-1, 1, dim) for _ in range(6)]
        h = lambda w: sum(m.f(w) for m in ms) / k
        mean_star = sum(m.f_star for m in ms) / k
        h_star = max(_grid_min(h, pts), mean_star)
        out = closure.average([HSmooth(m.H0, m.H1) for m in ms], f_stars=[m.f_star for m in ms], h_star=h_star)
        w = pts[0]
        return hess_norm(sum(m.hess(w) for m in ms) / k), out.bound(h(w) - h_star)

    p.sample("‖∇²h‖ <= H0 + H1(h − h*) for averages of 1–4 random members", inst, 300)


@claim("Closure add-smooth",
       "f + g with g L-smooth, g* = inf g: (H0f + L + H1f(h* − f* − g*), H1f)-smooth; L2 term: g* = 0, L = λ")
def closure_add_smooth(p: Proof) -> None:
    H0, H1, L = sp.symbols("H0 H1 L", nonnegative=True)
    fs, gs = sp.symbols("f_s g_s", real=True)
    sh = sp.Symbol("sh", nonnegative=True)
    out = closure.add_smooth(HSmooth(H0, H1), L, f_star=fs, g_star=gs, h_star=fs + gs + sh)
    via = closure.add(HSmooth(H0, H1), relations.from_l_smooth(L), f_star=fs, g_star=gs, h_star=fs + gs + sh)
    p.fact("g L-smooth ⇒ (L, 0)-smooth (claim 'Prop B.1'); then the corrected Prop B.2 (claim 'Prop B.2') with "
           "H1 = max(H1f, 0) = H1f: sympy, closure.add_smooth(f, L) = closure.add(f, from_l_smooth(L))",
           bool(sp.simplify(out.H0 - via.H0) == 0 and sp.simplify(out.H1 - via.H1) == 0), method="symbolic",
           detail="the composition of two proved claims, checked on the implementation")
    p.identity(out.H0, H0 + L + H1 * sh, "closure.add_smooth returns H0 = H0f + L + H1f(h* − f* − g*)")
    p.identity(out.H1, H1, "closure.add_smooth returns H1 = H1f")

    def inst(rng: np.random.Generator) -> tuple[float, float]:
        dim = int(rng.integers(1, 3))
        mem = random_member(rng, dim)
        lam = float(np.exp(rng.uniform(-3, 1)))
        w0 = mem.center + rng.normal(size=dim)
        if rng.random() < 0.5:  # L2 term (λ/2)‖w − w0‖²: L = λ, g* = 0
            gf = lambda w: 0.5 * lam * float((w - w0) @ (w - w0))
            gh = lambda w: lam * np.eye(dim)
            L_, g_star = lam, 0.0
        else:  # λ·logcosh(w1 − w0_1): L = λ, g* = 0
            gf = lambda w: lam * math.log(math.cosh(w[0] - w0[0]))

            def gh(w: np.ndarray) -> np.ndarray:
                H = np.zeros((dim, dim))
                H[0, 0] = lam / math.cosh(w[0] - w0[0]) ** 2
                return H
            L_, g_star = lam, 0.0
        pts = [mem.point(rng) for _ in range(6)]
        h = lambda w: mem.f(w) + gf(w)
        h_star = max(_grid_min(h, pts), mem.f_star + g_star)
        out = closure.add_smooth(HSmooth(mem.H0, mem.H1), L_, f_star=mem.f_star, g_star=g_star, h_star=h_star)
        w = pts[0]
        return hess_norm(mem.hess(w) + gh(w)), out.bound(h(w) - h_star)

    p.sample("‖∇²h‖ <= H0 + H1(h − h*) for member + L2 or λ·log-cosh term", inst, 300)
