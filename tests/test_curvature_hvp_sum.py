"""FlatProblem's HVP sum over terms (hvp._Sum) against torch.func.hessian, including HVPs that autograd
returns as expanded tensors (stride 0) or as the input v itself, and Lanczos on such products."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch import nn

from warmup_theory.numerics.curvature import hessian_spectral_norm
from warmup_theory.numerics.curvature.hvp import HVP_MODES, FlatProblem
from warmup_theory.numerics.curvature.lanczos import lanczos_norm
from warmup_theory.numerics.curvature.model import model_problem

F64 = torch.float64
Loss = Callable[[torch.Tensor], torch.Tensor]

#: 0.5 (sum w)^2: autograd's H v is sum(v) expanded (one memory location for all n entries);
#: 0.5 |w|^2: a pass-through backward may return v itself; the quartic: an ordinary fresh tensor
SUMSQ: Loss = lambda w: 0.5 * w.sum() ** 2
IDENT: Loss = lambda w: 0.5 * (w * w).sum()
QUARTIC: Loss = lambda w: (w ** 4).sum() + (w[:-1] * w[1:]).sum()

TERM_SETS = {
    "sumsq": [(1.0, SUMSQ)],
    "sumsq,sumsq": [(1.0, SUMSQ), (1.0, SUMSQ)],
    "sumsq,quartic": [(1.0, SUMSQ), (0.5, QUARTIC)],
    "quartic,sumsq": [(1.0, QUARTIC), (1.0, SUMSQ)],
    "ident,ident": [(1.0, IDENT), (2.0, IDENT)],
    "ident,sumsq,quartic": [(1.0, IDENT), (1.0, SUMSQ), (-0.25, QUARTIC)],
}


@pytest.mark.parametrize("mode", HVP_MODES)
@pytest.mark.parametrize("name", list(TERM_SETS))
def test_hvp_sum_matches_the_hessian_and_leaves_inputs_alone(name: str, mode: str) -> None:
    terms = TERM_SETS[name]
    g = torch.Generator().manual_seed(len(name))
    w = torch.randn(7, generator=g, dtype=F64)
    hess = sum(c * torch.func.hessian(f)(w) for c, f in terms)
    p = FlatProblem(terms, w.clone(), lambda u: u, hvp_mode=mode)
    for _ in range(3):  # repeated products: a cached graph must not have been written into
        v = torch.randn(7, generator=g, dtype=F64)
        v_copy = v.clone()
        hv = p.hvp(v)
        assert torch.equal(v, v_copy) and torch.equal(p.w, w)
        assert hv.is_contiguous() and hv.dtype == F64 and hv.shape == w.shape
        assert torch.allclose(hv, hess @ v, rtol=1e-12, atol=1e-12)
        hv.add_(1.0)  # the caller may update the product in place (Lanczos does)


@pytest.mark.parametrize("reorth", ["full", "none"])
def test_lanczos_on_a_rank_one_hessian_with_an_expanded_hvp(reorth: str) -> None:
    n = 6  # H = 1 1^T, ||H|| = n; autograd returns H v as an expanded tensor
    r = hessian_spectral_norm(SUMSQ, torch.zeros(n, dtype=F64), method="lanczos", reorth=reorth,
                              generator=torch.Generator().manual_seed(0))
    assert r.lower <= n * (1 + 1e-13) and n <= r.upper
    assert abs(r.value - n) <= 1e-12 * n


@pytest.mark.parametrize("reorth", ["full", "none"])
def test_lanczos_copies_a_matvec_result_whose_entries_share_memory(reorth: str) -> None:
    n = 5
    ones = torch.ones(n, dtype=F64)
    out = lanczos_norm(lambda v: (ones @ v).expand(n), n, tol=1e-8, max_hvps=10, v0=None,
                       generator=torch.Generator().manual_seed(1), delta=1e-3, reorth=reorth)
    assert out["lower"] <= n * (1 + 1e-13) and n <= out["upper"]
    assert abs(out["value"] - n) <= 1e-12 * n


def test_model_hvp_over_several_batches_matches_the_hessian() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).to(F64)
    batches = [(torch.randn(5, 3, dtype=F64), torch.randn(5, 1, dtype=F64)) for _ in range(3)]
    loss = nn.functional.mse_loss
    names = [k for k, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]
    sizes = [p.numel() for p in model.parameters()]

    def full_loss(flat: torch.Tensor) -> torch.Tensor:
        params = dict(zip(names, (t.reshape(s) for t, s in zip(flat.split(sizes), shapes))))
        xs = torch.cat([x for x, _ in batches])
        ys = torch.cat([y for _, y in batches])
        return loss(torch.func.functional_call(model, params, (xs,)), ys)

    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    hess = torch.func.hessian(full_loss)(flat)
    for mode in HVP_MODES:
        p = model_problem(model, loss, batches, hvp_mode=mode)
        for s in range(2):
            v = torch.randn(flat.numel(), generator=torch.Generator().manual_seed(s), dtype=F64)
            assert torch.allclose(p.hvp(v), hess @ v, rtol=1e-10, atol=1e-12)


def test_attention_graph_is_cached_and_its_replays_match_finite_differences() -> None:
    """On the CPU, scaled_dot_product_attention's default (flash) kernel has no double or forward-mode
    derivative: the cached graph and its cross-check run the math kernel, and replaying the graph (no forward
    pass, no kernel choice) stays exact. The loss is written out: F.mse_loss has no forward-mode rule inside
    grad (hvp.py), which would skip the cross-check this test needs."""
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True).to(F64).eval()
    data = [(torch.randn(3, 5, 8, dtype=F64), torch.randn(3, 5, 8, dtype=F64))]

    def mse(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return ((out - y) ** 2).mean()

    p = model_problem(layer, mse, data)
    h = 1e-5
    for s in range(3):  # the first product builds the graph and is cross-checked, the others replay it
        v = torch.randn(p.n, generator=torch.Generator().manual_seed(s), dtype=F64)
        fd = (p.gradient(p.w + h * v) - p.gradient(p.w - h * v)) / (2 * h)
        assert float((p.hvp(v) - fd).norm()) <= 1e-7 * float(fd.norm())
    assert p.modes == ["reverse-over-reverse, cached graph"] and p.checked == {0}
    # the cross-check runs (a wrong forward-over-reverse gradient is caught and that mode taken over)
    q = model_problem(layer, mse, data)
    grad_f = q._grads[0]
    q._grads = [lambda u: 2.0 * grad_f(u)]
    q.hvp(torch.randn(q.n, generator=torch.Generator().manual_seed(0), dtype=F64))
    assert q.modes == ["forward-over-reverse"]


def test_well_posedness_checks_run_on_the_path_of_the_hvps() -> None:
    """A loss whose value without gradients differs (as nn.TransformerEncoderLayer's fused inference path may, by
    a bfloat16 rounding) is deterministic where the HVPs run: no 'not deterministic' error, the exact H."""
    def loss(w: torch.Tensor) -> torch.Tensor:
        return (1.0 if torch.is_grad_enabled() else 1.01) * (w * w).sum()

    r = hessian_spectral_norm(loss, torch.ones(4, dtype=F64), generator=torch.Generator().manual_seed(1))
    assert r.lower <= 2.0 <= r.upper and abs(r.value - 2.0) <= 1e-12
    with pytest.raises(ValueError, match="not deterministic"):  # randomness on that path is still caught
        hessian_spectral_norm(lambda w: (torch.rand(()) + 1.0) * (w * w).sum(), torch.ones(4, dtype=F64))
