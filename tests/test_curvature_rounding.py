"""Scale safety (1e-250 / 1e160 Hessians) and low-precision HVPs of the spectral-norm solvers.

References are exact: diagonal Hessians with a known norm, and the float64 dense Hessian at the
same (float32-representable) point for the float32 runs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.numerics.curvature import hessian_spectral_norm, model_hessian_norm
from warmup_theory.numerics.curvature.lanczos import lanczos_norm
from warmup_theory.numerics.curvature.scaling import safe_norm
from warmup_theory.numerics.curvature.spectral_norm import APRIORI_ROUNDING_ULPS, TOL_FLOOR_ULPS

F64 = torch.float64
# spectrum of the reviewer's reproducer: 499 points in [-1, 1] and an outlier 1.2 (norm 1.2)
EIGS = torch.tensor(list(np.linspace(-1.0, 1.0, 499)) + [1.2], dtype=F64)


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def diag_loss(scale: float):
    d = EIGS * scale
    return (lambda w: 0.5 * (d * w * w).sum()), torch.zeros(EIGS.numel(), dtype=F64)


# ---------------------------------------------------------------- scale-safe norms

@settings(max_examples=60, deadline=None)
@given(e=st.integers(-1060, 1000), n=st.integers(1, 300), seed=st.integers(0, 10**6))
def test_safe_norm_matches_scaled_reference(e: int, n: int, seed: int) -> None:
    """safe_norm(w * 2^e) = 2^e ||w|| (w of unit scale) wherever the result is a normal float."""
    w = torch.randn(n, generator=gen(seed), dtype=F64)
    ref = float(torch.linalg.vector_norm(w))
    big = (w * 2.0 ** (e // 2)) * 2.0 ** (e - e // 2)
    got = safe_norm(big)
    exact = ref * 2.0 ** (e / 2) * 2.0 ** (e / 2)
    if abs(exact) > 1e307 or abs(exact) < 1e-290:
        return  # overflow / subnormal territory of the answer itself (checked separately)
    assert got == pytest.approx(exact, rel=1e-13)


def test_safe_norm_edges() -> None:
    assert safe_norm(torch.zeros(5, dtype=F64)) == 0.0
    assert safe_norm(torch.full((4,), 1e308, dtype=F64)) == math.inf  # 2e308 is not a float
    assert safe_norm(torch.tensor([5e-324, 0.0], dtype=F64)) == 5e-324
    w = torch.full((500,), 1e-250, dtype=F64)
    assert float(torch.linalg.vector_norm(w)) == 0.0  # the failure being fixed
    assert safe_norm(w) == pytest.approx(1e-250 * math.sqrt(500), rel=1e-14)


# ---------------------------------------------------------------- extreme scales, exact answers

@pytest.mark.parametrize("scale", [1e-250, 1e160])
@pytest.mark.parametrize("method", ["lanczos", "power", "dense", "eigsh"])
def test_extreme_scales_bracket_exact_norm(scale: float, method: str) -> None:
    f, w = diag_loss(scale)
    truth = 1.2 * scale
    r = hessian_spectral_norm(f, w, method=method, generator=gen(0), tol=1e-6 if method != "power" else 1e-4)
    assert math.isfinite(r.lower) and r.lower > 0
    assert r.lower <= truth * (1 + 1e-13) and truth * (1 - 1e-13) <= r.upper
    assert r.value == pytest.approx(truth, rel=1e-6 if method != "power" else 1e-2)
    if method in ("lanczos", "dense"):
        assert r.converged and r.relative_width <= 1e-6
        assert abs(r.eigenvalue) == pytest.approx(truth, rel=1e-6) and r.eigenvalue > 0


@pytest.mark.parametrize("k", [-830, 530])
def test_lanczos_power_of_two_scaling_is_exact(k: int) -> None:
    """H * 2^k gives exactly 2^k times the bracket of H, with the same number of HVPs."""
    A = torch.diag(EIGS)
    B = torch.diag((EIGS * 2.0 ** (k // 2)) * 2.0 ** (k - k // 2))
    kw = dict(tol=1e-6, max_hvps=100, v0=None, delta=1e-3)
    a = lanczos_norm(lambda v: A @ v, 500, generator=gen(0), **kw)
    b = lanczos_norm(lambda v: B @ v, 500, generator=gen(0), **kw)
    assert a["hvps"] == b["hvps"] and a["converged"] and b["converged"]
    for key in ("lower", "upper", "residual", "eigenvalue"):
        assert b[key] == math.ldexp(a[key], k), key


def test_norm_beyond_float_range_is_not_converged() -> None:
    """||H|| = 2e308 (not a float) with finite HVPs: lower is the largest float, never converged."""
    A = torch.full((2, 2), 1e308, dtype=F64)
    out = lanczos_norm(lambda v: A @ v, 2, tol=1e-6, max_hvps=10, v0=None, generator=gen(0), delta=1e-3)
    assert out["lower"] == torch.finfo(F64).max and not out["converged"]
    assert math.isinf(out["upper"])
    r = hessian_spectral_norm(lambda w: 0.5 * w @ A @ w, torch.zeros(2, dtype=F64), method="dense")
    assert not r.converged and r.lower <= r.upper


# ---------------------------------------------------------------- float32 HVPs

def _mlp(dtype_follows: bool):
    torch.manual_seed(0)
    X = torch.randn(64, 10, dtype=F64)
    y = torch.randn(64, dtype=F64)
    X32, y32 = X.float(), y.float()

    def f(p):
        xx, yy = (X.to(p["W1"].dtype), y.to(p["W1"].dtype)) if dtype_follows else (X32, y32)
        return ((torch.tanh(xx @ p["W1"]) @ p["w2"] - yy) ** 2).mean()

    g = gen(3)
    p32 = {"W1": (torch.randn(10, 20, dtype=F64, generator=g) * 3).float(),
           "w2": (torch.randn(20, dtype=F64, generator=g) * 3).float()}
    return f, p32


def _truth_at(p32) -> float:
    f64, _ = _mlp(True)
    return hessian_spectral_norm(f64, {k: v.double() for k, v in p32.items()}, method="dense").value


@pytest.mark.parametrize("follows", [True, False])
@pytest.mark.parametrize("method", ["lanczos", "dense", "power", "eigsh"])
def test_float32_bracket_contains_float64_truth(method: str, follows: bool) -> None:
    """The reviewer's case: Lanczos on float32 HVPs gave lower > the float64 truth, converged."""
    f, p32 = _mlp(follows)
    truth = _truth_at(p32)
    r = hessian_spectral_norm(f, p32, method=method, generator=gen(0), tol=1e-6)
    assert r.lower <= truth <= r.upper
    assert r.rounding > 0 and r.dtype == "float32"
    assert ("measured with one float64 HVP" in r.note) == follows
    assert ("a-priori" in r.note) == (not follows)
    assert not r.converged  # tol 1e-6 < TOL_FLOOR_ULPS * u(float32) = 6e-6


def test_float32_loose_tol_converges_and_float64_untouched() -> None:
    f, p32 = _mlp(True)
    truth = _truth_at(p32)
    u32 = torch.finfo(torch.float32).eps / 2
    tol = 1e-4
    assert tol >= TOL_FLOOR_ULPS * u32
    r = hessian_spectral_norm(f, p32, method="lanczos", generator=gen(0), tol=tol)
    assert r.converged and r.lower <= truth <= r.upper and r.relative_width <= tol
    p64 = {k: v.double() for k, v in p32.items()}
    r64 = hessian_spectral_norm(f, p64, method="lanczos", generator=gen(0))
    assert r64.rounding == 0.0 and r64.note == "" and r64.lower <= truth * (1 + 1e-12)
    assert APRIORI_ROUNDING_ULPS * u32 < 1e-5


def test_float32_model_api_measures_rounding() -> None:
    torch.manual_seed(0)
    m = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    X, Y = torch.randn(64, 8), torch.randn(64, 1)
    ref = model_hessian_norm(m, torch.nn.functional.mse_loss, [(X, Y)], method="dense")
    for method in ("dense", "lanczos"):
        r = model_hessian_norm(m, torch.nn.functional.mse_loss, [(X, Y)], dtype=torch.float32,
                               method=method, generator=gen(0), tol=1e-4)
        assert r.lower <= ref.value <= r.upper and r.converged, method
        assert "measured with one float64 HVP" in r.note
