"""Tests for warmup_theory.theory.architectures: hand computations, bad inputs, activation constants
against an independent mpmath grid, and the bounds against dense float64 Hessians
(torch autograd) of random tiny instances."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.numerics.models.leaky_relu import leaky_relu_loss
from warmup_theory.theory.architectures import (
    ACTIVATIONS,
    activation_constants,
    attention_constants,
    attention_data_constant,
    attention_prediction,
    deep_linear_bound_function,
    deep_linear_constants,
    deep_linear_printed_defect,
    leaky_relu_constants,
    sin_perturbed_identity,
    two_layer_ce_coefficients,
    two_layer_ce_constants,
    two_layer_ce_printed_witness,
)
from warmup_theory.theory.hsmooth import HSmooth

S = sp.Symbol("s", real=True)


def dense_hessian(loss, theta):
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    val = loss(t)
    (g,) = torch.autograd.grad(val, t, create_graph=True)
    rows = [torch.autograd.grad(g[i], t, retain_graph=True, allow_unused=True)[0] for i in range(t.numel())]
    H = torch.stack([r if r is not None else torch.zeros_like(t) for r in rows]).detach().numpy()
    return float(val.detach()), float(np.max(np.abs(np.linalg.eigvalsh(0.5 * (H + H.T)))))


# ------------------------------------------------------------------ deep linear

def test_deep_linear_hand_values():
    # depth 2, ‖X‖ = 2, λ = 1, ‖Y‖ = 3, f* = 1/2, f_ref = 9/2: s = 3, g = 2·4·6 + 1·2·3 = 54,
    # g' = 2·4/3 + 2/3 = 10/3, H0 = 54 − (10/3)·4
    c = deep_linear_constants(2, 2.0, 1.0, 3.0, 0.5)
    assert c.H1 == pytest.approx(10 / 3, rel=1e-14)
    assert c.H0 == pytest.approx(54 - 40 / 3, rel=1e-14)
    # depth 3, f_ref = 2, x = 1, λ = 1/4, y = 2, f* = 0: s = 2, u = 4, q = 8; a = 4/3, b = 1/3
    g = 3 * 8 ** (4 / 3) + 2 * 2 * 8 ** (1 / 3)
    dg = (3 * (4 / 3) * 4 ** (1 / 3) / 0.25 ** (2 / 3)
          + 2 * (4 ** (1 / 3) + (1 / 3) * 2 * 4 ** (-2 / 3)) / 0.25 ** (1 / 6)) / 2
    c3 = deep_linear_constants(3, 1.0, 0.25, 2.0, 0.0)
    assert c3.H1 == pytest.approx(dg, rel=1e-13)
    assert c3.H0 == pytest.approx(g - 2 * dg, rel=1e-13)
    assert deep_linear_bound_function(3, 1.0, 0.25, 2.0, 2.0) == pytest.approx(g, rel=1e-14)
    assert deep_linear_constants(1, 3.0, 1.0, 5.0, 2.0) == HSmooth(9.0, 0.0)
    # f_ref moves the tangent point; the bound at f_ref equals g(f_ref)
    c4 = deep_linear_constants(2, 2.0, 1.0, 3.0, 0.5, f_ref=8.0)
    assert c4.bound(8.0 - 0.5) == pytest.approx(deep_linear_bound_function(2, 2.0, 1.0, 3.0, 8.0))


def test_deep_linear_symbolic():
    x, lam, y, fs = sp.symbols("x lambda y f_star", positive=True)
    c = deep_linear_constants(2, x, lam, y, fs)
    assert isinstance(c.H0, sp.Basic)
    val = {x: 2, lam: 1, y: 3, fs: sp.Rational(1, 2)}
    assert float(c.H0.subs(val)) == pytest.approx(54 - 40 / 3)
    assert deep_linear_constants(1, x, lam, y, fs).H0 == x**2


@pytest.mark.parametrize("kwargs, exc, text", [
    (dict(depth=2, x_norm=1.0, x_lambda_min=0.0, y_norm=1.0, f_star=0.0), ValueError, "x_lambda_min"),
    (dict(depth=2, x_norm=1.0, x_lambda_min=-1.0, y_norm=1.0, f_star=0.0), ValueError, "x_lambda_min"),
    (dict(depth=2, x_norm=1.0, x_lambda_min=2.0, y_norm=1.0, f_star=0.0), ValueError, "x_lambda_min"),
    (dict(depth=0, x_norm=1.0, x_lambda_min=1.0, y_norm=1.0, f_star=0.0), ValueError, "depth"),
    (dict(depth=1.5, x_norm=1.0, x_lambda_min=1.0, y_norm=1.0, f_star=0.0), TypeError, "depth"),
    (dict(depth=True, x_norm=1.0, x_lambda_min=1.0, y_norm=1.0, f_star=0.0), TypeError, "depth"),
    (dict(depth=2, x_norm=float("nan"), x_lambda_min=1.0, y_norm=1.0, f_star=0.0), ValueError, "x_norm"),
    (dict(depth=2, x_norm=1.0, x_lambda_min=1.0, y_norm=1.0, f_star=0.6), ValueError, "f_star"),
    (dict(depth=2, x_norm=1.0, x_lambda_min=1.0, y_norm=0.0, f_star=0.0), ValueError, "f_ref"),
    (dict(depth=2, x_norm=1.0, x_lambda_min=1.0, y_norm=1.0, f_star=0.3, f_ref=0.2), ValueError, "f_ref"),
    (dict(depth=2, x_norm="1", x_lambda_min=1.0, y_norm=1.0, f_star=0.0), TypeError, "x_norm"),
])
def test_deep_linear_bad_inputs(kwargs, exc, text):
    with pytest.raises(exc, match=text):
        deep_linear_constants(**kwargs)


def _balanced(rng, widths, scale):
    r = int(rng.integers(1, min(widths) + 1))
    U = [np.linalg.qr(rng.standard_normal((n, r)))[0][:, :r] for n in widths]
    Sg = np.diag(scale * rng.uniform(0.2, 1.5, size=r))
    return [U[i + 1] @ Sg @ U[i].T for i in range(len(widths) - 1)]


def _fstar(X, Y, rank):
    K = X @ X.T
    Pls = np.linalg.solve(K, X @ Y.T).T
    w, V = np.linalg.eigh(K)
    sv = np.linalg.svd(Pls @ V @ np.diag(np.sqrt(w)) @ V.T, compute_uv=False)
    return 0.5 * (np.linalg.norm(Pls @ X - Y) ** 2 + float(np.sum(sv[rank:] ** 2)))


@settings(max_examples=12, deadline=None)
@given(depth=st.integers(2, 4), seed=st.integers(0, 10**6), logscale=st.floats(-1.5, 1.0))
def test_deep_linear_bound_vs_dense_hessian(depth, seed, logscale):
    rng = np.random.default_rng(seed)
    widths = tuple(int(rng.integers(1, 4)) for _ in range(depth + 1))
    d, c = widths[0], widths[-1]
    m = d + 1
    X, Y = rng.standard_normal((d, m)), rng.standard_normal((c, m))
    Ws = _balanced(rng, widths, 10**logscale)
    for i in range(depth - 1):  # strongly balanced
        assert np.allclose(Ws[i + 1].T @ Ws[i + 1], Ws[i] @ Ws[i].T, atol=1e-12)
    shapes = [w.shape for w in Ws]
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def loss(th):
        out, i = Xt, 0
        for a, b in shapes:
            out = th[i:i + a * b].reshape(a, b) @ out
            i += a * b
        return 0.5 * ((out - Yt) ** 2).sum()

    f, hn = dense_hessian(loss, np.concatenate([w.ravel() for w in Ws]))
    fs = _fstar(X, Y, min(widths))
    h = deep_linear_constants(depth, np.linalg.norm(X, 2), np.linalg.eigvalsh(X @ X.T)[0], np.linalg.norm(Y), fs)
    assert hn <= h.bound(max(f - fs, 0.0)) * (1 + 1e-9)
    assert hn <= deep_linear_bound_function(depth, np.linalg.norm(X, 2), np.linalg.eigvalsh(X @ X.T)[0],
                                            np.linalg.norm(Y), f) * (1 + 1e-9)


def test_printed_defect_family():
    d = deep_linear_printed_defect((0, 7, 10**4))
    for p in d.points:
        t = float(p["t"])
        assert p["f"] == "0" and p["balance_residual"] == "0"
        assert p["hessian_norm_float"] == pytest.approx(math.sqrt(1 + t * t) + 1 / math.sqrt(1 + t * t), rel=1e-14)
    assert d.points[-1]["hessian_norm_float"] > 1e4
    assert d.to_dict()["widths"] == [2, 1, 1]


# ------------------------------------------------------------------ two-layer CE

def test_two_layer_ce_hand_values():
    k = two_layer_ce_coefficients(2.0, 1.5, 0.5, 3.0, 0.1, 0.2)
    assert (k.A1, k.A2, k.A12) == pytest.approx((0.25 * 4, 2.25 * 4, 2 * 1.5 * 0.5 * 4))
    assert k.Bmix == pytest.approx(math.sqrt(2) * 3 * 4) and k.Bres == pytest.approx(2 * math.sqrt(2) * 0.5 * 2)
    clin = (2 * 1 + 6 + k.Bmix) / 0.1 + (2 * 9 + 6) / 0.2 + k.Bmix / 2
    assert k.C_lin == pytest.approx(clin)
    c = two_layer_ce_constants(2.0, 1.5, 0.5, 3.0, 0.1, 0.2, 0.7)
    pr = two_layer_ce_constants(2.0, 1.5, 0.5, 3.0, 0.1, 0.2, 0.7, printed=True)
    assert c.H1 == pr.H1 == pytest.approx(k.Bres + clin)
    assert c.H0 == pytest.approx(0.3 + k.Bres * 1.7 + clin * 0.7)
    assert c.H0 - pr.H0 == pytest.approx(clin * 0.7)
    # the corrected bound does not depend on f*
    assert c.bound(2.0 - 0.7) == pytest.approx(two_layer_ce_constants(2.0, 1.5, 0.5, 3.0, 0.1, 0.2, 0.0).bound(2.0))


@pytest.mark.parametrize("args, exc, text", [
    ((1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0), ValueError, "lam1"),
    ((1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 0.0), ValueError, "lam2"),
    ((1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 0.0), ValueError, "C1"),
    ((1.0, 1.0, 1.0, float("inf"), 1.0, 1.0, 0.0), ValueError, "C3"),
    ((1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -0.1), ValueError, "f_star"),
])
def test_two_layer_ce_bad_inputs(args, exc, text):
    with pytest.raises(exc, match=text):
        two_layer_ce_constants(*args)
    with pytest.raises(TypeError, match="printed"):
        two_layer_ce_constants(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, printed="yes")


def test_printed_eq31_witness_rechecked():
    w = two_layer_ce_printed_witness()
    a, om, lam = 0.1, 1000.0, 0.1

    def loss(th):
        z = th[0] * (th[1] + (a / om) * torch.sin(om * th[1]))
        return torch.nn.functional.softplus(-z) + lam / 2 * (th**2).sum()

    f, hn = dense_hessian(loss, np.array([float(sp.Rational(w.w1)), float(sp.Rational(w.w2))]))
    assert f == pytest.approx(w.f, rel=1e-12) and hn == pytest.approx(w.hessian_norm, rel=1e-9)
    # smooth-problem optimum by brute force is above the certified lower bound
    t = np.linspace(0, 6, 600001)
    assert np.min(np.log1p(np.exp(-t)) + 0.1 * t) >= w.f_star_lower
    pb = two_layer_ce_constants(1.0, 1.1, 1.1, 100.0, lam, lam, w.f_star_lower, printed=True)
    assert w.violated and hn > pb.bound(w.f - w.f_star_lower)
    assert hn <= w.corrected_bound


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), k=st.integers(1, 3), logscale=st.floats(-1.0, 1.0))
def test_two_layer_ce_bound_vs_dense_hessian(seed, k, logscale):
    rng = np.random.default_rng(seed)
    d, h, m = (int(rng.integers(1, 4)) for _ in range(3))
    X = rng.standard_normal((d, m))
    lam1, lam2 = 10 ** rng.uniform(-2, 0, size=2)
    labels = rng.integers(0, max(k, 2), size=m)
    Xt = torch.tensor(X)

    def loss(th):
        W1, W2 = th[:k * h].reshape(k, h), th[k * h:].reshape(h, d)
        Z = W1 @ torch.tanh(W2 @ Xt)
        if k == 1:
            ce = torch.nn.functional.softplus(-torch.tensor(2.0 * labels - 1.0) * Z[0]).sum()
        else:
            ce = torch.nn.functional.cross_entropy(Z.T, torch.tensor(labels), reduction="sum")
        return ce + lam1 / 2 * (W1**2).sum() + lam2 / 2 * (W2**2).sum()

    f, hn = dense_hessian(loss, rng.standard_normal(k * h + h * d) * 10**logscale)
    c = two_layer_ce_constants(np.linalg.norm(X, 2), 1.0, 1.0, 4 * math.sqrt(3) / 9, lam1, lam2, 0.0)
    assert hn <= c.bound(f) * (1 + 1e-9)


# ------------------------------------------------------------------ activations

def _grid_sup(g, lo=-30.0, hi=30.0, n=1201):
    """Independent route: |g| by mpmath on a grid (plus points near 0 and far out), then a bounded
    scalar maximisation (scipy) in the cells around the best grid point: a LOWER estimate of sup|g|."""
    from scipy.optimize import minimize_scalar

    fn = sp.lambdify(S, g, "mpmath")

    def val(x):
        return abs(float(fn(mpmath.mpf(float(x))))) if x != 0 else abs(float(sp.limit(g, S, 0)))

    grid = np.linspace(lo, hi, n)
    pts = list(grid) + [sgn * 10.0**e for sgn in (1, -1) for e in (-9, -6, -3, 2, 4, 6, 8)]
    vals = [val(x) for x in pts]
    best = max(vals)
    i = int(np.argmax(vals))
    if i < n:
        h = grid[1] - grid[0]
        r = minimize_scalar(lambda x: -val(x), bounds=(pts[i] - h, pts[i] + h), method="bounded",
                            options={"xatol": 1e-12})
        best = max(best, -r.fun)
    return best, pts[i]


@pytest.mark.parametrize("name", ["tanh", "gelu", "silu"])
def test_activation_constants_against_mpmath_grid(name):
    phi = ACTIVATIONS[name]
    c = activation_constants(name)
    for key, g in (("C1", phi / S), ("C2", sp.diff(phi, S)), ("C3", sp.diff(phi, S, 2))):
        sup_grid, _ = _grid_sup(g)
        lo, hi = {k: (a, b) for k, a, b in c.brackets}[key]
        const = getattr(c, key)
        assert const == hi
        assert sup_grid <= hi * (1 + 1e-12) + 1e-15, (key, sup_grid, hi)   # the constant is an upper bound
        assert hi - sup_grid <= 1e-5, (key, sup_grid, hi)                      # and a tight one
        assert lo <= hi


def test_activation_exact_values():
    t = activation_constants("tanh")
    assert t.certified and t.C1 == 1.0 and t.C2 == 1.0
    assert 0 <= t.C3 - 4 * math.sqrt(3) / 9 < 1e-6
    g = activation_constants("gelu")
    phi_n = math.exp(-1) / math.sqrt(2 * math.pi)
    c2 = 0.5 * (1 + math.erf(1.0)) + math.sqrt(2) * phi_n
    assert 0 <= g.C2 - c2 < 1e-6 and 0 <= g.C3 - math.sqrt(2 / math.pi) < 1e-6 and g.C1 == pytest.approx(1.0)
    assert g.certified                              # GELU tails: g' = 0 solved exactly on |s| >= R
    si = activation_constants("silu")
    assert si.certified and "monomial enclosure" in dict(si.methods)["C2"]   # SiLU tails: e^s-monomials
    with pytest.raises(NotImplementedError, match="atan"):
        activation_constants(sp.atan(S))     # no interval rule: refused, never silently uncertified
    w = activation_constants(sin_perturbed_identity(sp.Rational(1, 5), 10))
    assert w.certified
    assert (w.C1, w.C2, w.C3) == pytest.approx((1.2, 1.2, 2.0), rel=1e-8)
    assert w.C1 >= 1.2 and w.C3 >= 2.0


@pytest.mark.parametrize("phi, text", [
    ("softplus", "C1"),
    (S**2, "C2"),
    (sp.exp(S) - 1, "C2"),
    (sp.Abs(S), "C²"),
    (1 / (1 + sp.exp(-S)), "C1"),
])
def test_activation_bounds_that_do_not_exist(phi, text):
    with pytest.raises(ValueError, match=text):
        activation_constants(phi)


def test_activation_bad_arguments():
    with pytest.raises(ValueError, match="phi must be one of"):
        activation_constants("relu6")
    with pytest.raises(TypeError, match="phi"):
        activation_constants([1, 2])
    a, b = sp.symbols("a b")
    with pytest.raises(ValueError, match="one symbol"):
        activation_constants(a * sp.tanh(b))


# ------------------------------------------------------------------ leaky ReLU

def test_leaky_relu_hand_values_and_linear_case():
    c = leaky_relu_constants(0.5, 2.0, 1.0, 3.0, 0.5)
    # s = 3, k = 2·4/0.5 + 2 = 18, g = 16·6 + 6 = 102, H1 = 6, H0 = 102 − 6·4
    assert (c.H0, c.H1) == pytest.approx((78.0, 6.0))
    # α = 1, one hidden unit: the model is a width-1 deep linear net of depth 2 — same constants
    for args in ((2.0, 1.0, 3.0, 0.5), (1.0, 0.3, 0.7, 0.1)):
        a = leaky_relu_constants(1.0, *args)
        b = deep_linear_constants(2, *args)
        assert (a.H0, a.H1) == pytest.approx((b.H0, b.H1), rel=1e-13)
    with pytest.raises(ValueError, match="alpha"):
        leaky_relu_constants(0.0, 1.0, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="x_lambda_min"):
        leaky_relu_constants(0.5, 1.0, 0.0, 1.0, 0.0)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), logr=st.floats(-1.5, 1.5), alpha=st.floats(0.05, 1.0))
def test_leaky_relu_bound_vs_dense_hessian(seed, logr, alpha):
    rng = np.random.default_rng(seed)
    d, c = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    m = d + 1
    X, Y = rng.standard_normal((d, m)), rng.standard_normal((c, m))
    r = math.sqrt(10**logr)
    w, v = rng.standard_normal(d), rng.standard_normal(c)
    w, v = w / np.linalg.norm(w) * r, v / np.linalg.norm(v) * r   # ‖w‖ = ‖v‖
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def loss(th):
        return leaky_relu_loss(th, Xt, Yt, alpha=alpha)

    f, hn = dense_hessian(loss, np.concatenate([w, v]))
    h = leaky_relu_constants(alpha, np.linalg.norm(X, 2), np.linalg.eigvalsh(X @ X.T)[0], np.linalg.norm(Y), 0.0)
    assert hn <= h.bound(f) * (1 + 1e-9)


def test_leaky_relu_width_two_has_no_constants():
    """Documented limitation: two units with opposite output weights, equal layer norms."""
    X = np.array([[1.0, 0.5], [0.0, 1.0]])
    Y = np.array([[1.0, -1.0]])
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def loss(th):
        W1, W2 = th[:4].reshape(2, 2), th[4:].reshape(1, 2)
        pre = W1 @ Xt
        return 0.5 * ((W2 @ torch.where(pre > 0, pre, 0.1 * pre) - Yt) ** 2).sum()

    norms = []
    for c in (1.0, 10.0, 100.0):
        W1 = np.array([[0.7, 0.3], [0.7, 0.3]]) * c
        W2 = np.array([[1.0, -1.0]]) * c * np.linalg.norm(W1) / math.sqrt(2) / c  # ‖W2‖_F = ‖W1‖_F
        f, hn = dense_hessian(loss, np.concatenate([W1.ravel(), W2.ravel()]))
        assert f == pytest.approx(0.5 * np.sum(Y**2))
        norms.append(hn)
    assert norms[2] > 50 * norms[0]


# ------------------------------------------------------------------ attention

def test_attention_model_and_constants():
    rng = np.random.default_rng(0)
    d, n = 2, 3
    Z = rng.integers(-3, 4, size=(d + 1, n + 1))
    P = rng.integers(-2, 3, size=(d + 1, d + 1))
    Q = rng.integers(-2, 3, size=(d + 1, d + 1))
    M = np.diag([1] * n + [0])
    ref = (Z + P @ Z @ M @ (Z.T @ Q @ Z) / n)[-1, -1]
    assert float(attention_prediction(sp.Matrix(P), sp.Matrix(Q), sp.Matrix(Z))) == pytest.approx(ref, rel=1e-14)
    K = attention_data_constant([sp.Matrix(Z)])
    G = Z @ M @ Z.T / n
    assert float(K) == pytest.approx(np.linalg.norm(G, 2) * np.linalg.norm(Z[:, -1]), rel=1e-12)
    c = attention_constants(2.0, 0.5, 1.0, 0.1)
    assert (c.H0, c.H1) == pytest.approx((1.0 + 2.0 + 32.0 * 0.1, 32.0))
    assert attention_constants(0.1, 1.0, 1.0, 0.0).H1 == pytest.approx(0.1)   # max(4K²/λ, K) = K
    with pytest.raises(ValueError, match="lam_P"):
        attention_constants(1.0, 0.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="P and Q"):
        attention_prediction(sp.eye(2), sp.eye(3), sp.Matrix(Z))


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), logscale=st.floats(-1.0, 1.0))
def test_attention_bound_vs_dense_hessian(seed, logscale):
    rng = np.random.default_rng(seed)
    d, n, T = int(rng.integers(1, 3)), int(rng.integers(2, 4)), int(rng.integers(1, 3))
    Zs, ys = [], []
    for _ in range(T):
        w = rng.standard_normal(d)
        xs = rng.standard_normal((d, n + 1))
        Z = np.vstack([xs, (w @ xs)[None, :]])
        ys.append(Z[-1, -1])
        Z[-1, -1] = 0.0
        Zs.append(Z)
    lp, lq = 10 ** rng.uniform(-2, 0, size=2)
    M = np.diag([1.0] * n + [0.0])
    K = max(np.linalg.norm(Z @ M @ Z.T / n, 2) * np.linalg.norm(Z[:, -1]) for Z in Zs)
    D = d + 1
    Zt, Mt = [torch.tensor(Z) for Z in Zs], torch.tensor(M)

    def loss(th):
        P, Q = th[:D * D].reshape(D, D), th[D * D:].reshape(D, D)
        tot = sum((Z + P @ Z @ Mt @ (Z.T @ Q @ Z) / n)[-1, -1].sub(y) ** 2 for Z, y in zip(Zt, ys))
        return tot / T + lp / 2 * (P**2).sum() + lq / 2 * (Q**2).sum()

    f, hn = dense_hessian(loss, rng.standard_normal(2 * D * D) * 10**logscale)
    assert hn <= attention_constants(K, lp, lq, 0.0).bound(f) * (1 + 1e-9)
