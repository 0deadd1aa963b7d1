"""reorth="none" without a stored basis (memory_budget too small for it): three vectors, the Ritz vector rebuilt
by a second pass of the recurrence."""

from __future__ import annotations

import pytest
import torch

from warmup_theory.numerics.curvature import hessian_spectral_norm, model_hessian_norm
from warmup_theory.numerics.curvature.lanczos import basis_bytes, lanczos_norm

F64 = torch.float64


def gen(s: int) -> torch.Generator:
    return torch.Generator().manual_seed(s)


def sym(spec: torch.Tensor, seed: int) -> torch.Tensor:
    q, _ = torch.linalg.qr(torch.randn(spec.numel(), spec.numel(), generator=gen(seed), dtype=F64))
    return (q * spec) @ q.T


def run(A: torch.Tensor, **kw: object) -> dict:
    base = dict(tol=1e-8, v0=None, delta=1e-3, reorth="none", generator=gen(1))
    base.update(kw)
    return lanczos_norm(lambda v: A @ v, A.shape[0], **base)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(4))
def test_two_pass_equals_the_stored_run_with_as_many_steps(seed: int) -> None:
    n = 300
    spec = torch.linspace(-1.0, 1.0, n, dtype=F64)
    spec[-1] += 0.1 * (seed + 1)
    A = sym(spec, seed)
    two = run(A, max_hvps=80, memory_budget=basis_bytes(n, 10))
    one = run(A, max_hvps=41)  # 40 steps, stored
    assert (two["basis"], one["basis"]) == ("two-pass", "stored")
    assert two["steps"] == one["steps"] <= 40
    assert two["hvps"] == 2 * two["steps"] and one["hvps"] == one["steps"] + 1
    assert two["basis_bytes"] == 3 * n * 8 < basis_bytes(n, 10)
    assert float((two["vector"] - one["vector"]).abs().max()) < 1e-12
    for key in ("lower", "upper", "residual"):
        assert abs(two[key] - one[key]) <= 1e-12 * one["lower"], key
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    assert two["lower"] <= truth * (1 + 1e-14) and truth <= two["upper"]


def test_layout_with_the_most_steps_is_taken_and_errors_stay_clear() -> None:
    n = 200
    A = sym(torch.linspace(-2.0, 1.0, n, dtype=F64), 7)
    fits60 = run(A, max_hvps=100, memory_budget=basis_bytes(n, 60))  # 60 stored rows > 50 two-pass steps
    assert fits60["basis"] == "stored" and fits60["steps"] <= 60
    fits20 = run(A, max_hvps=100, memory_budget=basis_bytes(n, 20))  # 20 rows < 50 steps without a basis
    assert fits20["basis"] == "two-pass" and fits20["hvps"] <= 100
    with pytest.raises(ValueError, match="memory_budget"):
        run(A, max_hvps=100, memory_budget=basis_bytes(n, 2))  # not even the three vectors
    with pytest.raises(ValueError, match="cannot hold the Lanczos basis"):
        run(A, max_hvps=100, memory_budget=basis_bytes(n, 20), reorth="full")  # full needs its basis
    with pytest.raises(ValueError, match="memory_budget"):
        run(A, max_hvps=100, memory_budget=-5)


def test_two_pass_at_a_breakdown_and_from_a_warm_start() -> None:
    n = 90
    A = sym(torch.tensor([3.0] * 30 + [-1.0] * 30 + [0.5] * 30, dtype=F64), 3)  # breakdown after 3 steps
    r = run(A, max_hvps=60, memory_budget=basis_bytes(n, 5), tol=1e-10)
    assert r["basis"] == "two-pass" and r["steps"] <= 4
    assert r["lower"] <= 3.0 * (1 + 1e-14) and 3.0 <= r["upper"] and abs(r["lower"] - 3.0) < 1e-10
    w = run(A, max_hvps=60, memory_budget=basis_bytes(n, 5), v0=torch.ones(n, dtype=F64))
    assert w["basis"] == "two-pass" and w["lower"] <= 3.0 * (1 + 1e-14) <= w["upper"] * (1 + 1e-14)


def test_a_non_deterministic_product_still_gives_an_honest_lower_bound() -> None:
    """The second pass regenerates the vectors; with a product that differs between passes, y is still a
    unit vector and ||H y|| <= ||H||."""
    n = 150
    A = sym(torch.linspace(-1.0, 1.0, n, dtype=F64), 11)
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    noise = gen(5)
    r = lanczos_norm(lambda v: A @ v + 1e-13 * torch.randn(n, generator=noise, dtype=F64), n, tol=1e-6,
                     max_hvps=60, v0=None, delta=1e-3, reorth="none", generator=gen(2),
                     memory_budget=basis_bytes(n, 4))
    assert r["basis"] == "two-pass"
    assert r["lower"] <= truth * (1 + 1e-12) and abs(float(r["vector"].norm()) - 1.0) < 1e-14


def test_public_api_runs_without_a_basis_and_says_so() -> None:
    n = 250
    A = sym(torch.cat([torch.linspace(-1.0, 1.0, n - 1, dtype=F64), torch.tensor([1.5], dtype=F64)]), 2)
    r = hessian_spectral_norm(lambda w: 0.5 * w @ (A @ w), torch.zeros(n, dtype=F64), method="lanczos",
                              reorth="none", memory_budget=basis_bytes(n, 8), generator=gen(0))
    assert "second pass" in r.note and r.basis_bytes == 3 * n * 8
    truth = float(torch.linalg.eigvalsh(A).abs().max())
    assert r.lower <= truth * (1 + 1e-13) and truth <= r.upper and r.converged
    B = sym(torch.linspace(-1.0, 1.0, n, dtype=F64), 4)
    slow = {rows: hessian_spectral_norm(lambda w: 0.5 * w @ (B @ w), torch.zeros(n, dtype=F64), method="lanczos",
                                        reorth="none", tol=1e-12, memory_budget=basis_bytes(n, rows),
                                        generator=gen(0)) for rows in (8, 98, 99)}
    # the default budget doubles without a basis: the default's 99 steps at any budget, the same bracket
    assert slow[99].hvps == 100 and "second pass" not in slow[99].note
    for rows in (8, 98):
        assert slow[rows].hvps == 198 and "98 of the 198 HVPs" in slow[rows].note
        assert slow[rows].lower == pytest.approx(slow[99].lower, rel=1e-13)
        assert slow[rows].upper == pytest.approx(slow[99].upper, rel=1e-13)
    with pytest.raises(ValueError, match="99 vectors"):  # not even three vectors: the default budget's message
        hessian_spectral_norm(lambda w: 0.5 * w @ (B @ w), torch.zeros(n, dtype=F64), method="lanczos",
                              reorth="none", memory_budget=basis_bytes(n, 2))
    capped = hessian_spectral_norm(lambda w: 0.5 * w @ (A @ w), torch.zeros(n, dtype=F64), method="lanczos",
                                   reorth="none", memory_budget=basis_bytes(n, 8), generator=gen(0), max_hvps=60)
    assert capped.hvps <= 60 and "second pass" in capped.note
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)).double()
    data = [(torch.randn(40, 6, dtype=F64), torch.randint(0, 3, (40,)))]
    loss = torch.nn.functional.cross_entropy
    d = model_hessian_norm(model, loss, data, method="dense")
    m = model_hessian_norm(model, loss, data, method="lanczos", reorth="none", memory_budget=basis_bytes(83, 6),
                           generator=gen(0))
    assert "second pass" in m.note and m.lower <= d.value * (1 + 1e-12) and d.value <= m.upper * (1 + 1e-12)
