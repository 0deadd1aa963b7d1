"""Lanczos without reorthogonalisation (``reorth="none"``) and the reusable basis memory (LanczosWorkspace)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from warmup_theory.numerics.curvature import CurvatureTracker, hessian_spectral_norm
from warmup_theory.numerics.curvature.lanczos import LanczosWorkspace, lanczos_norm

F64 = torch.float64


def gen(s: int) -> torch.Generator:
    return torch.Generator().manual_seed(s)


def outliers_over_bulk(n: int, seed: int) -> tuple[torch.Tensor, float]:
    """Three outliers (5, 4.5, -4) over a uniform bulk in [-1, 1]: without reorthogonalisation the basis
    loses orthogonality once the outliers' Ritz values converge (ghost copies appear)."""
    rng = np.random.default_rng(seed)
    lam = np.r_[5.0, 4.5, -4.0, rng.uniform(-1, 1, n - 3)]
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    h = (q * lam) @ q.T
    return torch.tensor(0.5 * (h + h.T)), 5.0


def plain_basis(a: torch.Tensor, v: torch.Tensor, m: int) -> torch.Tensor:
    """The vectors of the three-term recurrence (no reorthogonalisation), for measuring the loss of orthogonality."""
    qs = [v / torch.linalg.vector_norm(v)]
    prev, b = torch.zeros_like(v), 0.0
    for _ in range(m - 1):
        w = a @ qs[-1]
        w = w - float(qs[-1] @ w) * qs[-1] - b * prev
        b = float(torch.linalg.vector_norm(w))
        prev = qs[-1]
        qs.append(w / b)
    return torch.stack(qs)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("stop", ["bracket", "residual"])
def test_bracket_contains_truth_when_orthogonality_is_lost(seed: int, stop: str) -> None:
    n = 60
    a, truth = outliers_over_bulk(n, seed)
    out = lanczos_norm(lambda v: a @ v, n, tol=1e-14 if stop == "bracket" else 1e-10, max_hvps=n + 1, v0=None,
                       generator=gen(seed), delta=1e-3, stop=stop, reorth="none")
    assert out["lower"] <= truth * (1 + 1e-13) and truth <= out["upper"] * (1 + 1e-13)
    assert out["certificate"] == "probabilistic" and out["reorth"] == "none"  # never "deterministic", even at m = n
    if stop == "bracket":  # the run went to n steps: check that the basis really was not orthogonal
        g = torch.randn(n, generator=gen(seed), dtype=F64)
        qs = plain_basis(a, g, out["steps"])
        assert float((qs @ qs.T - torch.eye(out["steps"], dtype=F64)).abs().max()) > 0.1


@pytest.mark.parametrize("seed", range(4))
def test_none_and_full_agree_on_the_value(seed: int) -> None:
    n = 400
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.linspace(-1, 1, n)
    lam[-1] += 0.2 + 0.3 * seed
    a = torch.tensor((q * lam) @ q.T)
    truth = float(np.abs(lam).max())
    res = {r: lanczos_norm(lambda v: a @ v, n, tol=1e-8, max_hvps=150, v0=None, generator=gen(seed), delta=1e-3,
                           reorth=r) for r in ("full", "none")}
    for out in res.values():
        assert out["lower"] <= truth * (1 + 1e-13) and truth <= out["upper"] * (1 + 1e-13)
        assert abs(out["value"] - truth) <= 1e-8 * truth
    # the non-orthogonal certificate pays ||Q||_F^2 = m: wider, never narrower at the same steps
    assert res["none"]["upper"] >= res["full"]["upper"] - 1e-12 or res["none"]["steps"] != res["full"]["steps"]


def test_reorth_is_checked_and_reported() -> None:
    a = torch.diag(torch.tensor([3.0, -1.0, 0.5], dtype=F64))
    with pytest.raises(ValueError, match="reorth"):
        lanczos_norm(lambda v: a @ v, 3, tol=1e-6, max_hvps=10, v0=None, generator=gen(0), delta=1e-3, reorth="x")
    f = lambda w: 0.5 * w @ a @ w
    with pytest.raises(ValueError, match="reorth"):
        hessian_spectral_norm(f, torch.zeros(3, dtype=F64), method="lanczos", reorth="partial")
    r = hessian_spectral_norm(f, torch.zeros(3, dtype=F64), method="lanczos", reorth="none", generator=gen(0))
    assert r.reorth == "none" and r.to_dict()["reorth"] == "none" and r.certificate == "probabilistic"
    assert r.lower <= 3.0 <= r.upper
    assert hessian_spectral_norm(f, torch.zeros(3, dtype=F64), method="dense").reorth == ""


def test_workspace_reuses_memory_and_changes_nothing() -> None:
    n = 200
    a, _ = outliers_over_bulk(n, 0)
    ws = LanczosWorkspace()
    kw = dict(tol=1e-8, max_hvps=40, v0=None, delta=1e-3)
    first = lanczos_norm(lambda v: a @ v, n, generator=gen(1), workspace=ws, **kw)
    ptr = ws.basis(1, n, F64, torch.device("cpu")).data_ptr()
    second = lanczos_norm(lambda v: a @ v, n, generator=gen(1), workspace=ws, **kw)
    fresh = lanczos_norm(lambda v: a @ v, n, generator=gen(1), **kw)
    assert ws.basis(1, n, F64, torch.device("cpu")).data_ptr() == ptr and ws.nbytes == 39 * n * 8
    for key in ("value", "lower", "upper", "hvps", "eigenvalue"):
        assert first[key] == second[key] == fresh[key]
    lanczos_norm(lambda v: a[:50, :50] @ v, 50, generator=gen(1), workspace=ws, **kw)  # another n: a new buffer
    assert ws.nbytes == 39 * 50 * 8
    ws.release()
    assert ws.nbytes == 0


def test_tracker_with_reorth_none_keeps_its_workspace() -> None:
    torch.manual_seed(0)
    x = torch.randn(64, 5, dtype=F64)
    y = torch.randn(64, dtype=F64)
    w = torch.randn(5, dtype=F64, requires_grad=True)
    tracker = CurvatureTracker(every=2, method="lanczos", stop="residual", tol=1e-6, reorth="none", seed=0)
    opt = torch.optim.SGD([w], lr=0.05)
    loss = lambda p: torch.mean((torch.tanh(x @ p) - y) ** 2) + 0.1 * (p ** 4).sum()
    truths = []
    for t in range(6):
        if t % 2 == 0:
            truths.append(hessian_spectral_norm(loss, w.detach().clone(), method="dense").value)
        tracker.step(w, loss)
        opt.zero_grad()
        loss(w).backward()
        opt.step()
    assert len(tracker.records) == 3 and tracker.options["workspace"].nbytes > 0
    for rec, truth in zip(tracker.records, truths):
        assert rec.lower <= truth * (1 + 1e-12) and truth <= rec.upper * (1 + 1e-12)
        assert abs(rec.hessian_norm - truth) <= 1e-6 * truth


@pytest.mark.parametrize("seed", range(5))
def test_scheduled_certificate_tests_stop_at_most_a_few_steps_late(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import warmup_theory.numerics.curvature.lanczos as lanczos_mod

    rng = np.random.default_rng(seed)
    n = 300
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.r_[rng.uniform(-1, 1, n - 1), 1.0 + 10.0 ** rng.uniform(-3, -0.5)]
    a = torch.tensor((q * lam) @ q.T)
    kw = dict(tol=1e-6, max_hvps=150, v0=None, delta=1e-3, stop="bracket")
    scheduled = lanczos_norm(lambda v: a @ v, n, generator=gen(seed), **kw)
    monkeypatch.setattr(lanczos_mod, "_next_test", lambda j, margin, last: (j + 1, last))
    every = lanczos_norm(lambda v: a @ v, n, generator=gen(seed), **kw)
    assert every["hvps"] <= scheduled["hvps"] <= every["hvps"] + 3
    assert scheduled["upper"] - scheduled["lower"] <= every["upper"] - every["lower"] + 1e-15


def test_next_test_schedule_is_bounded() -> None:
    from warmup_theory.numerics.curvature.lanczos import NEXT_TEST_RATE, _next_test

    nxt, mem = _next_test(10, -100.0, (-1, -np.inf, NEXT_TEST_RATE))
    assert nxt == 14 and mem == (10, -100.0, NEXT_TEST_RATE)  # at most 4 steps ahead
    nxt, mem = _next_test(14, -10.0, mem)  # margin grew by 22.5 per step: r is raised to it
    assert nxt == 15 and mem[2] == pytest.approx(22.5)
    assert _next_test(3, -np.inf, mem)[0] == 4


@pytest.mark.parametrize("values", [[1.0], [1.0, 0.3], [-1.0, 0.3, 0.9], [1.0, 0.5, 0.2, -0.3]])
def test_invariant_krylov_space_gives_a_tight_bound_without_reorthogonalisation(values: list[float]) -> None:
    # few distinct eigenvalues (a rank-one H among them): the recurrence breaks down after len(values) steps;
    # the breakdown form of the certificate (beta_m folded into F_m, deg q = m) must still bracket ||H|| tightly
    n = 40
    rng = np.random.default_rng(len(values))
    lam = np.r_[values, rng.choice(values, n - len(values))]
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    a = torch.tensor((q * lam) @ q.T)
    for seed in range(3):
        out = lanczos_norm(lambda v: a @ v, n, tol=1e-8, max_hvps=60, v0=None, generator=gen(seed), delta=1e-3,
                           reorth="none")
        assert out["steps"] == len(values)
        assert out["lower"] <= 1.0 + 1e-13 and 1.0 <= out["upper"] <= 1.0 + 1e-8 and out["converged"]


def test_breakdown_certificate_is_sound_only_with_beta_m_in_the_recurrence_error() -> None:
    # A = I + g u u^T, q_1 with overlap y on u (exact arithmetic, m = 1): T_1 = [1 + g y^2] and
    # F'_1 = A q_1 - T_1 q_1 = g y (u - y q_1), ||F'_1|| = g |y| sqrt(1 - y^2), ||A|| = 1 + g
    from warmup_theory.numerics.curvature.certificate import lanczos_upper_bound

    for g, y in [(1e-6, 0.1), (1e-3, 0.5), (1e-9, 1e-3), (0.3, 0.9)]:
        theta = np.array([1.0 + g * y * y])
        kw = dict(log_c=math.log(y * (1 - 1e-9)), allowance=0.0, basis_norm2=1.0)
        f_true = g * y * math.sqrt(1.0 - y * y) * (1 + 1e-9)
        assert lanczos_upper_bound(theta, [1.0], recurrence_error=f_true, breakdown=True, **kw) >= 1.0 + g
        assert math.isinf(lanczos_upper_bound(theta, [1.0], recurrence_error=f_true, **kw))  # deg q <= m - 1 = 0
        # the beta_m part of F' is what keeps it sound: a recurrence error without it certifies below 1 + g
        assert lanczos_upper_bound(theta, [1.0], recurrence_error=f_true / 100, breakdown=True, **kw) < 1.0 + g


def hidden_top(n: int, seed: int, delta: float, frac: float) -> tuple[torch.Tensor, float, float, float]:
    """H = I + g u u^T with u chosen after the start q_1 (rebuilt from the seed): |<q_1, u>| = 1.1 c, c the
    solver's overlap bound, and g such that the first residual g |c_*| sqrt(1 - c_*^2) is ``frac`` of the
    breakdown threshold 16 u ||T||: the run stops at m = 1 with ||H|| = 1 + g hidden ~ beta_1 / c above theta."""
    g0 = torch.randn(n, generator=gen(seed), dtype=F64).numpy()
    q1 = g0 / np.linalg.norm(g0)
    c = delta * math.sqrt(math.pi / 2) / float(np.linalg.norm(g0))
    ov = 1.1 * c
    z = np.random.default_rng(seed).standard_normal(n)
    z -= (z @ q1) * q1
    u = ov * q1 + math.sqrt(1 - ov * ov) * z / np.linalg.norm(z)
    g = frac * 16 * float(np.finfo(np.float64).eps) / (ov * math.sqrt(1 - ov * ov))
    h = np.eye(n) + g * np.outer(u, u)
    ev, vec = np.linalg.eigh(0.5 * (h + h.T))
    return torch.tensor(0.5 * (h + h.T)), float(np.abs(ev).max()), abs(float(vec[:, -1] @ q1)), c


@pytest.mark.parametrize("reorth", ["full", "none"])
@pytest.mark.parametrize("seed", range(3))
def test_near_breakdown_does_not_hide_the_top_eigenvalue(reorth: str, seed: int) -> None:
    # a breakdown before n steps only bounds the residual by beta_m: the top eigenvalue may lie ~ beta_m / c above
    # every Ritz value; `upper` = theta + allowance (the old full-reorthogonalisation rule) undercut ||H|| here
    n, delta = 100, 1e-3
    a, truth, cstar, c = hidden_top(n, seed, delta, 0.5)
    assert cstar >= c and truth - 1.0 > 1e-12  # on the event, and the hidden part is far above the allowance
    out = lanczos_norm(lambda v: a @ v, n, tol=1e-6, max_hvps=n + 1, v0=None, generator=gen(seed), delta=delta,
                       reorth=reorth)
    assert out["steps"] < n and out["certificate"] == "probabilistic"
    assert out["lower"] <= truth * (1 + 1e-15) and truth <= out["upper"]


def test_float32_products_enter_the_recurrence_residual() -> None:
    """reorth="none" with float32 HVPs: the products' rounding is part of F_m (the orthonormal-basis widening
    3 sqrt(m) eps does not apply), so solve_problem recomputes the certificate with ||F|| + sqrt(m) eps: the bracket
    holds the float64 truth and is wider than the same run's certificate without the products' rounding."""
    from warmup_theory.numerics.curvature.model import model_hessian_norm, model_problem
    from warmup_theory.numerics.curvature.spectral_norm import solve_problem

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.Tanh(), torch.nn.Linear(32, 3))
    x, y = torch.randn(200, 10), torch.randint(0, 3, (200,))
    ce = torch.nn.functional.cross_entropy
    truth = model_hessian_norm(model, ce, [(x, y)], method="dense").value
    prob = model_problem(model, ce, [(x, y)], dtype=torch.float32, device="cpu")
    raw = lanczos_norm(prob.hvp, prob.n, tol=1e-4, max_hvps=100, v0=None, generator=gen(0), delta=1e-3,
                       stop="bracket", reorth="none")
    r = solve_problem(prob, method="lanczos", tol=1e-4, stop="bracket", reorth="none", generator=gen(0))
    assert r.reorth == "none" and "float32" in r.note and r.rounding > 0
    assert r.lower <= truth * (1 + 1e-12) and truth <= r.upper * (1 + 1e-12)
    assert r.upper > raw["upper"] * (1 + 1e-9)  # the products' rounding widened the certificate itself
    assert not r.converged or r.upper - r.lower <= 1e-4 * r.lower


def test_tracker_carries_cross_checks_over_and_rechecks(monkeypatch: pytest.MonkeyPatch) -> None:
    """CurvatureTracker(recheck_every=R): the first HVP of a point is cross-checked against forward-over-reverse
    only at every R-th measurement; the values are those of a tracker that checks every time."""
    import warmup_theory.numerics.curvature.hvp as hvp_mod

    calls = [0]
    real_jvp = hvp_mod.jvp

    def counting_jvp(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real_jvp(*args, **kwargs)

    monkeypatch.setattr(hvp_mod, "jvp", counting_jvp)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    x, y = torch.randn(32, 4), torch.randint(0, 2, (32,))
    ce = torch.nn.functional.cross_entropy
    records = {}
    for recheck in (1, 3):
        calls[0] = 0
        tracker = CurvatureTracker(every=1, stop="residual", tol=1e-8, recheck_every=recheck, seed=0)
        for _ in range(6):
            tracker.step_model(model, ce, [(x, y)], device="cpu", dtype=F64)
        records[recheck] = ([r.hessian_norm for r in tracker.records], calls[0])
    (vals1, jvps1), (vals3, jvps3) = records[1], records[3]
    assert jvps1 == 6 and jvps3 == 2  # measurements 0 and 3 re-check
    assert vals1 == pytest.approx(vals3, rel=1e-12)
    with pytest.raises(ValueError, match="recheck_every"):
        CurvatureTracker(recheck_every=0)
    with pytest.raises(ValueError, match="reorth"):
        CurvatureTracker(reorth="partial")  # at construction, not at the first measurement


def test_adopt_checks_needs_the_same_problem_shape() -> None:
    from warmup_theory.numerics.curvature.hvp import FlatProblem

    a = FlatProblem.from_loss(lambda w: (w ** 4).sum(), torch.ones(3, dtype=F64))
    a.hvp(torch.ones(3, dtype=F64))
    assert a.checked == {0}
    b = FlatProblem.from_loss(lambda w: (w ** 4).sum(), torch.full((3,), 2.0, dtype=F64))
    assert b.adopt_checks(a.checks()) and b.checked == {0}
    c = FlatProblem.from_loss(lambda w: (w ** 4).sum(), torch.ones(4, dtype=F64))
    assert not c.adopt_checks(a.checks()) and c.checked == set()
