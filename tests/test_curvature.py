"""Curvature engine: closed forms, dense float64 reference, cross-method agreement, errors."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.numerics.curvature import (
    SpectralNormResult,
    hessian_spectral_norm,
    model_hessian_norm,
)
from warmup_theory.numerics.curvature.certificate import lanczos_upper_bound
from warmup_theory.numerics.device import default_device, resolve_device

F64 = torch.float64


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def quadratic(eigs: list[float], seed: int = 0):
    g = gen(seed)
    n = len(eigs)
    Q, _ = torch.linalg.qr(torch.randn(n, n, generator=g, dtype=F64))
    A = Q @ torch.diag(torch.tensor(eigs, dtype=F64)) @ Q.T
    A = (A + A.T) / 2
    return (lambda w: 0.5 * w @ A @ w), torch.randn(n, generator=g, dtype=F64), A


def contains(r: SpectralNormResult, truth: float, rel: float = 1e-12) -> bool:
    return r.lower <= truth * (1 + rel) + 1e-300 and truth * (1 - rel) <= r.upper


# ---------------------------------------------------------------- closed forms
@pytest.mark.parametrize("eigs,top", [
    ([3.0, 1.0, 0.5, -0.2] + [0.1] * 60, 3.0),
    ([2.0, -9.0, 1.0, 0.3] + [-0.5] * 60, 9.0),           # the most negative dominates
    ([5.0, -5.0 + 1e-3, 1.0] + [0.0] * 61, 5.0),         # near-symmetric pair
])
@pytest.mark.parametrize("method", ["dense", "lanczos", "eigsh", "power"])
def test_quadratic_closed_form(eigs, top, method):
    f, w, _ = quadratic(eigs)
    kw = {"tol": 1e-8, "max_hvps": 300} if method == "power" else {}
    r = hessian_spectral_norm(f, w, method=method, generator=gen(1), **kw)
    assert r.method == method and r.n == len(eigs)
    tol = 1e-3 if method == "power" else 1e-9
    assert r.value == pytest.approx(top, rel=tol)
    if method != "power":
        assert abs(abs(r.eigenvalue) - top) <= tol * top
    if method in ("dense", "lanczos", "power"):
        assert contains(r, top)
    if method == "lanczos":
        assert r.converged and r.relative_width <= 1e-6 and r.certificate in ("probabilistic", "deterministic")
    if method == "eigsh":
        assert r.certificate == "lower-only" and math.isinf(r.upper)


def test_negative_dominant_sign_and_vector():
    f, w, A = quadratic([1.0, -4.0, 2.0] + [0.2] * 30, seed=3)
    r = hessian_spectral_norm(f, w, method="lanczos", generator=gen(0))
    assert r.eigenvalue == pytest.approx(-4.0, rel=1e-10)
    y = r.eigenvector
    assert torch.linalg.vector_norm(A @ y - r.eigenvalue * y) < 1e-6
    assert r.residual < 1e-6


def test_linear_least_squares_mean_loss():
    g = gen(2)
    N, d = 50, 12
    X, y = torch.randn(N, d, generator=g, dtype=F64), torch.randn(N, generator=g, dtype=F64)
    truth = torch.linalg.eigvalsh(2 * X.T @ X / N).max().item()
    f = lambda w: ((X @ w - y) ** 2).mean()
    for method in ("dense", "lanczos"):
        r = hessian_spectral_norm(f, torch.zeros(d, dtype=F64), method=method, generator=gen(0))
        assert contains(r, truth) and r.value == pytest.approx(truth, rel=1e-10)


def test_logistic_regression_closed_form():
    g = gen(4)
    N, d = 80, 15
    X = torch.randn(N, d, generator=g, dtype=F64)
    lab = torch.randint(0, 2, (N,), generator=g).to(F64) * 2 - 1
    w = 0.3 * torch.randn(d, generator=g, dtype=F64)
    f = lambda v: torch.nn.functional.softplus(-lab * (X @ v)).mean()
    s = torch.sigmoid(X @ w)
    H = (X.T * (s * (1 - s))) @ X / N                      # (1/N) sum sigma(1-sigma) x x^T
    truth = torch.linalg.eigvalsh(H).abs().max().item()
    r = hessian_spectral_norm(f, w, method="lanczos", generator=gen(0))
    assert contains(r, truth, rel=1e-10) and r.value == pytest.approx(truth, rel=1e-9)


def test_dict_params_and_auto():
    f, w, _ = quadratic([2.0, -1.0, 0.5, 0.25])
    params = {"a": w[:1].clone(), "b": w[1:].reshape(3, 1).clone()}
    fd = lambda p: f(torch.cat([p["a"], p["b"].reshape(-1)]))
    r = hessian_spectral_norm(fd, params)
    assert r.method == "dense" and r.value == pytest.approx(2.0, rel=1e-12)
    assert set(r.eigenvector) == {"a", "b"} and r.eigenvector["b"].shape == (3, 1)


# ---------------------------------------------------------------- random networks vs dense
def mlp_problem(widths, act, seed, dtype=F64):
    g = gen(seed)
    n_in, N = widths[0], 24
    X = torch.randn(N, n_in, generator=g, dtype=F64).to(dtype)
    Y = torch.randint(0, widths[-1], (N,), generator=g)
    shapes = [(widths[i + 1], widths[i]) for i in range(len(widths) - 1)]
    params = {f"W{i}": (torch.randn(*s, generator=g, dtype=F64) / math.sqrt(s[1])).to(dtype)
              for i, s in enumerate(shapes)}
    params |= {f"b{i}": (0.1 * torch.randn(s[0], generator=g, dtype=F64)).to(dtype) for i, s in enumerate(shapes)}
    phi = {"tanh": torch.tanh, "softplus": torch.nn.functional.softplus, "gelu": torch.nn.functional.gelu}[act]

    def f(p):
        h = X
        for i in range(len(shapes)):
            h = h @ p[f"W{i}"].T + p[f"b{i}"]
            if i < len(shapes) - 1:
                h = phi(h)
        return torch.nn.functional.cross_entropy(h, Y)
    return f, params


def dln_problem(depth, d, seed, scale):
    g = gen(seed)
    X = torch.randn(d, 3 * d, generator=g, dtype=F64)
    Y = torch.randn(d, 3 * d, generator=g, dtype=F64)
    params = {f"W{i}": scale * torch.randn(d, d, generator=g, dtype=F64) / math.sqrt(d) for i in range(depth)}

    def f(p):
        P = p["W0"]
        for i in range(1, depth):
            P = p[f"W{i}"] @ P
        return ((P @ X - Y) ** 2).sum() / X.shape[1]
    return f, params


@settings(max_examples=5, deadline=None)
@given(widths=st.lists(st.integers(2, 6), min_size=3, max_size=4),
       act=st.sampled_from(["tanh", "softplus", "gelu"]), seed=st.integers(0, 10_000))
def test_mlp_bracket_contains_dense_truth(widths, act, seed):
    f, params = mlp_problem(widths, act, seed)
    dense = hessian_spectral_norm(f, params, method="dense")
    lan = hessian_spectral_norm(f, params, method="lanczos", generator=gen(seed))
    assert lan.lower <= dense.upper and dense.lower <= lan.upper
    assert lan.value == pytest.approx(dense.value, rel=1e-8, abs=1e-12)


@settings(max_examples=5, deadline=None)
@given(depth=st.integers(2, 4), d=st.integers(2, 5), seed=st.integers(0, 10_000),
       scale=st.floats(0.3, 2.0))
def test_deep_linear_bracket_contains_dense_truth(depth, d, seed, scale):
    f, params = dln_problem(depth, d, seed, scale)
    dense = hessian_spectral_norm(f, params, method="dense")
    lan = hessian_spectral_norm(f, params, method="lanczos", generator=gen(seed))
    pw = hessian_spectral_norm(f, params, method="power", generator=gen(seed), tol=1e-3)
    assert lan.lower <= dense.upper and dense.lower <= lan.upper
    assert pw.lower <= dense.upper and dense.lower <= pw.upper        # power: certified but loose
    eig = hessian_spectral_norm(f, params, method="eigsh", generator=gen(seed), tol=1e-12)
    assert eig.value == pytest.approx(lan.value, rel=1e-8)                # Lanczos and eigsh agree


def test_lanczos_and_eigsh_agree_larger():
    f, params = mlp_problem([10, 16, 16, 4], "tanh", 7)                # n = 516
    lan = hessian_spectral_norm(f, params, method="lanczos", generator=gen(0))
    eig = hessian_spectral_norm(f, params, method="eigsh", generator=gen(0), tol=1e-12)
    assert lan.converged and not eig.converged and eig.note.startswith("ARPACK converged")  # upper = inf
    assert eig.value == pytest.approx(lan.value, rel=1e-9)
    assert lan.lower <= eig.value * (1 + 1e-12) <= lan.upper * (1 + 1e-12)


def test_warm_start_reduces_hvps():
    f, params = mlp_problem([8, 12, 12, 3], "tanh", 7)
    r0 = hessian_spectral_norm(f, params, method="lanczos", stop="residual", generator=gen(0))
    moved = {k: v + 1e-3 * torch.randn(v.shape, generator=gen(5), dtype=F64) for k, v in params.items()}
    cold = hessian_spectral_norm(f, moved, method="lanczos", stop="residual", generator=gen(1))
    warm = hessian_spectral_norm(f, moved, method="lanczos", stop="residual", generator=gen(1), v0=r0)
    assert cold.converged and warm.converged
    assert warm.hvps < cold.hvps
    assert warm.value == pytest.approx(cold.value, rel=1e-9)
    # the bracket stays valid with a warm start (the start is perturbed, see certificate.py)
    dense = hessian_spectral_norm(f, moved, method="dense")
    assert warm.lower <= dense.upper and dense.lower <= warm.upper
    pc = hessian_spectral_norm(f, moved, method="power", generator=gen(1), tol=1e-6)
    pw = hessian_spectral_norm(f, moved, method="power", generator=gen(1), tol=1e-6, v0=r0)
    assert pw.hvps < pc.hvps


def test_non_convergence_is_a_result():
    f, params = mlp_problem([8, 12, 12, 3], "tanh", 7)
    dense = hessian_spectral_norm(f, params, method="dense")
    r = hessian_spectral_norm(f, params, method="lanczos", max_hvps=4, generator=gen(0))
    assert not r.converged and r.hvps == 4
    assert r.lower <= dense.upper and dense.lower <= r.upper
    p = hessian_spectral_norm(f, params, method="power", max_hvps=3, generator=gen(0))
    assert not p.converged and p.hvps == 3 and p.lower <= dense.upper


def test_float32_reports_bracket():
    f, params = mlp_problem([6, 8, 3], "tanh", 1)
    truth = hessian_spectral_norm(f, params, method="dense").value
    f32, p32 = mlp_problem([6, 8, 3], "tanh", 1, dtype=torch.float32)
    r = hessian_spectral_norm(f32, p32, method="lanczos", generator=gen(0), tol=1e-4)
    assert r.dtype == "float32" and r.value == pytest.approx(truth, rel=1e-4)
    assert r.lower <= r.upper and r.eigenvector["W0"].dtype == torch.float32


def test_certificate_lemma_direct():
    # Gauss rule of a 2-point measure at +-1 with 3 nodes: nothing beyond 1 + tiny.
    u = lanczos_upper_bound([-1.0, 0.0, 1.0], [0.4, 0.2, 0.4], log_c=math.log(0.01), allowance=0.0)
    assert u > 1.0 and math.isfinite(u)
    assert lanczos_upper_bound([1.0], [1.0], log_c=-5.0, allowance=0.0) == math.inf


# ---------------------------------------------------------------- model API
def test_model_mean_sum_and_unequal_batches():
    g = gen(9)
    X, y = torch.randn(23, 4, generator=g), torch.randn(23, 1, generator=g)
    model = torch.nn.Linear(4, 1)
    Xa = torch.cat([X.double(), torch.ones(23, 1, dtype=F64)], 1)   # weight and bias
    batches = [(X[:10], y[:10]), (X[10:13], y[10:13]), (X[13:], y[13:])]
    mse = torch.nn.functional.mse_loss
    r = model_hessian_norm(model, mse, batches, device="cpu", method="lanczos", generator=gen(0))
    truth = torch.linalg.eigvalsh(2 * Xa.T @ Xa / 23).max().item()
    assert r.value == pytest.approx(truth, rel=1e-10) and contains(r, truth, 1e-10)
    s = model_hessian_norm(model, lambda o, t: ((o - t) ** 2).sum(), batches, reduction="sum", device="cpu")
    assert s.value == pytest.approx(23 * truth, rel=1e-10)
    assert set(r.eigenvector) == {"weight", "bias"} and r.dtype == "float64"
    assert next(model.parameters()).dtype == torch.float32          # the module is untouched


def test_model_frozen_params_and_generator_batches():
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    model[0].weight.requires_grad_(False)
    g = gen(3)
    data = [(torch.randn(5, 3, generator=g), torch.randint(0, 2, (5,), generator=g)) for _ in range(3)]
    r = model_hessian_norm(model, torch.nn.functional.cross_entropy, iter(data), device="cpu")
    assert r.n == 4 + 8 + 2 and set(r.eigenvector) == {"0.bias", "2.weight", "2.bias"}


def test_model_refuses_nondeterministic():
    data = [(torch.randn(4, 3), torch.randn(4, 2))]
    mse = torch.nn.functional.mse_loss
    drop = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Dropout(0.1))
    with pytest.raises(ValueError, match="dropout"):
        model_hessian_norm(drop, mse, data, device="cpu")
    drop.eval()
    assert model_hessian_norm(drop, mse, data, device="cpu").value > 0
    bn = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    with pytest.raises(ValueError, match="batch norm"):
        model_hessian_norm(bn, mse, data, device="cpu")
    tf = torch.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8)      # default dropout 0.1
    with pytest.raises(ValueError, match="dropout"):
        model_hessian_norm(tf, mse, [(torch.randn(3, 2, 4), torch.randn(3, 2, 4))], device="cpu")
    frozen = torch.nn.Linear(3, 2).requires_grad_(False)
    with pytest.raises(ValueError, match="requires grad"):
        model_hessian_norm(frozen, mse, data, device="cpu")


# ---------------------------------------------------------------- errors
def test_bad_inputs():
    w = torch.zeros(3, dtype=F64)
    with pytest.raises(ValueError, match="scalar"):
        hessian_spectral_norm(lambda v: v * 2, w)
    with pytest.raises(ValueError, match="non-finite"):
        hessian_spectral_norm(lambda v: (v / 0.0).sum(), w)
    with pytest.raises(TypeError, match="complex"):
        hessian_spectral_norm(lambda v: (v.abs() ** 2).sum(), torch.zeros(3, dtype=torch.complex128))
    with pytest.raises(TypeError, match="floating"):
        hessian_spectral_norm(lambda v: v.sum(), torch.zeros(3, dtype=torch.int64))
    with pytest.raises(TypeError, match="torch.Tensor"):
        hessian_spectral_norm(lambda v: 1.0, w)
    with pytest.raises(TypeError):
        hessian_spectral_norm(lambda v: v.sum(), [1.0, 2.0])
    f = lambda v: (v ** 2).sum()
    with pytest.raises(ValueError, match="method"):
        hessian_spectral_norm(f, w, method="arnoldi")
    with pytest.raises(ValueError, match="tol"):
        hessian_spectral_norm(f, w, tol=0.0)
    with pytest.raises(ValueError, match="max_hvps"):
        hessian_spectral_norm(f, w, max_hvps=1)
    with pytest.raises(ValueError, match="delta"):
        hessian_spectral_norm(f, w, delta=1.5)
    with pytest.raises(ValueError, match="v0"):
        hessian_spectral_norm(f, w, method="lanczos", v0=torch.zeros(3, dtype=F64))
    with pytest.raises(ValueError, match="stop"):
        hessian_spectral_norm(f, w, stop="never")
    with pytest.raises(ValueError, match="dense"):
        hessian_spectral_norm(f, torch.zeros(9000, dtype=F64), method="dense")


def test_device_helpers():
    assert resolve_device(None) == default_device()
    assert resolve_device(torch.device("cpu")).type == "cpu"
    with pytest.raises(ValueError):
        resolve_device("tpu")
    with pytest.raises(TypeError):
        resolve_device(3)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA"):
            resolve_device("cuda")


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cpu_cuda_agreement():
    f, params = mlp_problem([10, 16, 16, 4], "tanh", 7)
    cpu = hessian_spectral_norm(f, params, method="lanczos", generator=gen(0))
    fc, pc = mlp_problem([10, 16, 16, 4], "tanh", 7)
    model = torch.nn.Linear(4, 1)
    data = [(torch.randn(6, 4), torch.randn(6, 1))]
    mse = torch.nn.functional.mse_loss
    a = model_hessian_norm(model, mse, data, device="cpu", method="lanczos", generator=gen(0))
    b = model_hessian_norm(model, mse, data, device="cuda", method="lanczos", generator=gen(0))
    assert b.device.startswith("cuda") and b.value == pytest.approx(a.value, rel=1e-10)
    assert cpu.value > 0


def test_zero_hessian_linear_loss():
    w = torch.zeros(300, dtype=F64)
    for method in ("lanczos", "power", "dense"):
        r = hessian_spectral_norm(lambda v: 3.0 * v.sum(), w, method=method, generator=gen(0))
        assert r.value == r.lower == r.upper == 0.0 and r.converged
    r = hessian_spectral_norm(lambda v: 3.0 * v.sum(), w, method="eigsh", generator=gen(0))
    assert r.value == 0.0 and not r.converged            # ARPACK cannot start; reported, not raised
    assert r.note.startswith("ARPACK did not converge")


# ---------------------------------------------------------------- HVP modes (cached gradient graph)
from warmup_theory.numerics.curvature.hvp import FlatProblem  # noqa: E402
from warmup_theory.numerics.curvature.model import model_problem  # noqa: E402

CACHED = "reverse-over-reverse, cached graph"


def rel(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(torch.linalg.vector_norm(a - b) / torch.linalg.vector_norm(b))


@settings(max_examples=6, deadline=None)
@given(widths=st.lists(st.integers(2, 6), min_size=3, max_size=4),
       act=st.sampled_from(["tanh", "softplus", "gelu"]), seed=st.integers(0, 10_000),
       dln=st.booleans())
def test_hvp_modes_agree_float64(widths, act, seed, dln):
    f, params = dln_problem(3, widths[0], seed, 1.0) if dln else mlp_problem(widths, act, seed)
    probs = {m: FlatProblem.from_loss(f, params, hvp_mode=m)
             for m in ("auto", "forward-over-reverse", "reverse-over-reverse")}
    w = probs["auto"].w
    H = torch.func.hessian(lambda u: f(probs["auto"].unflatten(u)))(w)   # independent dense reference
    g = gen(seed)
    for _ in range(3):                                   # several products at the same point
        v = torch.randn(w.numel(), generator=g, dtype=F64)
        ref = H @ v
        for m, p in probs.items():
            assert rel(p.hvp(v), ref) <= 1e-10, m
    assert probs["auto"].modes == [CACHED] and probs["auto"].graph_bytes > 0
    assert probs["auto"].hvp_count == 3


def model_data(seed=0):
    g = gen(seed)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Tanh(), torch.nn.Linear(7, 3))
    X, y = torch.randn(20, 5, generator=g), torch.randint(0, 3, (20,), generator=g)
    return model, [(X[:9], y[:9]), (X[9:15], y[9:15]), (X[15:], y[15:])]


def test_hvp_cached_model_batches_and_budget():
    model, data = model_data()
    ce = torch.nn.functional.cross_entropy
    ref_p = model_problem(model, ce, data, device="cpu", hvp_mode="forward-over-reverse")
    v = torch.randn(ref_p.n, generator=gen(3), dtype=F64)
    ref = ref_p.hvp(v)
    full = model_problem(model, ce, data, device="cpu")
    assert rel(full.hvp(v), ref) <= 1e-10 and full.modes == [CACHED] * 3
    one = model_problem(model, ce, data, device="cpu")
    one.hvp(v)
    sizes = [b for *_, b in one._graphs.values()]
    budget = sizes[0] + sizes[1] // 2                    # fits the first graph only
    part = model_problem(model, ce, data, device="cpu", graph_cache_bytes=budget)
    assert rel(part.hvp(v), ref) <= 1e-10 and rel(part.hvp(2 * v), 2 * ref) <= 1e-10
    assert part.modes[0] == CACHED and set(part.modes[1:]) == {"forward-over-reverse"}
    assert 0 < part.graph_bytes <= budget
    none = model_problem(model, ce, data, device="cpu", graph_cache_bytes=0)
    assert rel(none.hvp(v), ref) <= 1e-10 and none.modes == ["forward-over-reverse"] * 3
    assert none.graph_bytes == 0
    # same spectral norm through the public API, cached (default) or not
    a = model_hessian_norm(model, ce, data, device="cpu", method="lanczos", generator=gen(0))
    b = model_hessian_norm(model, ce, data, device="cpu", method="lanczos", generator=gen(0),
                           hvp_mode="forward-over-reverse")
    assert a.value == pytest.approx(b.value, rel=1e-10) and a.converged and b.converged


def test_hvp_cached_graph_follows_the_point_and_cross_check():
    f, params = mlp_problem([4, 5, 3], "tanh", 1)
    p = FlatProblem.from_loss(f, params)
    v = torch.randn(p.n, generator=gen(2), dtype=F64)
    p.hvp(v)
    p.w.mul_(1.5)                                        # the point moves in place: graph rebuilt
    fresh = FlatProblem(p.terms, p.w.clone(), p.unflatten, hvp_mode="forward-over-reverse")
    assert rel(p.hvp(v), fresh.hvp(v)) <= 1e-10 and p.modes == [CACHED]
    # the first cached product is cross-checked against forward-over-reverse: a disagreement
    # (simulated by a wrong forward-over-reverse gradient) moves the term to that mode
    q = FlatProblem.from_loss(f, params)
    q._grads = [torch.func.grad(lambda u: 2.0 * f(q.unflatten(u)))]
    out = q.hvp(v)
    assert q.modes == ["forward-over-reverse"] and q.graph_bytes == 0
    true = FlatProblem.from_loss(f, params, hvp_mode="forward-over-reverse").hvp(v)
    assert rel(out, 2.0 * true) <= 1e-10                 # the product of the mode it moved to
    assert rel(q.hvp(v), 2.0 * true) <= 1e-10


def test_hvp_mode_bad_inputs():
    f, params = mlp_problem([3, 4, 2], "tanh", 0)
    with pytest.raises(ValueError, match="hvp_mode"):
        FlatProblem.from_loss(f, params, hvp_mode="cached")
    with pytest.raises(ValueError, match="graph_cache_bytes"):
        FlatProblem.from_loss(f, params, graph_cache_bytes=-1)
    model, data = model_data()
    with pytest.raises(ValueError, match="hvp_mode"):
        model_hessian_norm(model, torch.nn.functional.cross_entropy, data, hvp_mode="fast")
