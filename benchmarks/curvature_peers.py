"""Peers in the benchmark (issue 11, ``benchmarks/curvature.py --peers``): the same model and data through
this project, scipy eigsh on a plain torch HVP, curvlinops, PyHessian and hessian-eigenthings (each
when installed; skipped with a note otherwise), with their default settings, against a float64
reference (dense eigvalsh below n = 3,000, after checking that the dense Hessian is symmetric and
agrees with central finite differences of the gradient)."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse.linalg as sla
import torch
from torch import nn
from torch.func import functional_call, grad
from torch.nn.attention import SDPBackend, sdpa_kernel

from warmup_theory.numerics.curvature import model_hessian_norm
from warmup_theory.numerics.curvature.model import model_problem

F64 = torch.float64


def _flat_fn(model: nn.Module, loss: Callable[..., torch.Tensor], X: torch.Tensor, y: torch.Tensor) -> Any:
    names = [k for k, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    sizes = [p.numel() for _, p in model.named_parameters()]

    def f(w: torch.Tensor) -> torch.Tensor:
        parts = torch.split(w, sizes)
        return loss(functional_call(model, {k: p.view(s) for k, p, s in zip(names, parts, shapes)}, (X,)), y)
    w0 = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    return f, w0


def check_reference(model: nn.Module, loss: Any, X: torch.Tensor, y: torch.Tensor) -> tuple[float, str]:
    """||H||_2 by dense eigvalsh of the float64 Hessian built column by column from exact HVPs
    (``model_problem(...).dense()``, math attention kernel: ``torch.func.hessian`` is wrong on some
    attention modules), after two independent checks: its symmetry, and H v against central finite
    differences of the gradient (g(w + h v) - g(w - h v)) / 2h, h = 1e-5 (error O(h^2))."""
    prob = model_problem(model, loss, [(X, y)], device="cpu")
    H = prob.dense()
    asym = float(torch.linalg.matrix_norm(H - H.T) / torch.linalg.matrix_norm(H))
    v = torch.randn(prob.n, dtype=F64, generator=torch.Generator().manual_seed(0))
    v /= torch.linalg.vector_norm(v)
    h = 1e-5
    with sdpa_kernel([SDPBackend.MATH]):
        fd = (prob.gradient(prob.w + h * v) - prob.gradient(prob.w - h * v)) / (2 * h)
    hv = H @ v
    fd_err = float(torch.linalg.vector_norm(fd - hv) / torch.linalg.vector_norm(hv))
    value = float(torch.linalg.eigvalsh((H + H.T) / 2).abs().max())
    return value, f"dense eigvalsh of exact-HVP columns (asymmetry {asym:.0e}, vs finite differences {fd_err:.0e})"


def _timed(fn: Callable[[], tuple[float, int, bool]]) -> tuple[float, int, float, bool] | str:
    """Run twice, time the second call (the first pays one-time warm-ups of torch in this process);
    a tool that raises is reported with its error (first line), not hidden."""
    try:
        with sdpa_kernel([SDPBackend.MATH]):  # every tool: the flash kernel has no double backward on CPU
            fn()
            t0 = time.perf_counter()
            value, hvps, bar = fn()
    except Exception as err:  # a peer's failure is a result of the comparison
        return f"failed: {type(err).__name__}: {str(err).splitlines()[0][:90]}"
    return value, hvps, time.perf_counter() - t0, bar


def peers(model: nn.Module, loss: Any, X: torch.Tensor,
          y: torch.Tensor) -> tuple[list[tuple[str, Any]], tuple[float, str]]:
    """(tool, (value, HVPs, seconds, error bar) or a note) for each tool, default settings; and the
    reference (value, how it was obtained) of :func:`check_reference`."""
    model = model.double().eval()
    X = X.double()
    out: list[tuple[str, Any]] = []

    def ours() -> tuple[float, int, bool]:
        r = model_hessian_norm(model, loss, [(X, y)], device="cpu", method="lanczos",
                               generator=torch.Generator().manual_seed(0))
        return r.value, r.hvps, True
    out.append(("this project (model_hessian_norm, method='lanczos', defaults)", _timed(ours)))

    f, w0 = _flat_fn(model, loss, X, y)
    g = grad(f)

    def scipy_eigsh() -> tuple[float, int, bool]:
        count = [0]

        def mv(x: np.ndarray) -> np.ndarray:
            count[0] += 1
            u = torch.as_tensor(np.ascontiguousarray(x).reshape(-1), dtype=F64)
            return grad(lambda w: torch.vdot(g(w), u))(w0).numpy()  # reverse-over-reverse HVP
        op = sla.LinearOperator((w0.numel(),) * 2, matvec=mv, dtype=np.float64)
        vals = sla.eigsh(op, k=1, which="LM", v0=np.ones(w0.numel()), return_eigenvectors=False)
        return float(abs(vals[0])), count[0], False
    out.append(("scipy eigsh (defaults, which='LM') + torch.func HVP (reverse-over-reverse)", _timed(scipy_eigsh)))

    params = list(model.parameters())
    if importlib.util.find_spec("curvlinops") is None:
        out.append(("curvlinops", "not installed (pip install curvlinops-for-pytorch)"))
    else:
        from curvlinops import HessianLinearOperator

        def curvlinops_eigsh() -> tuple[float, int, bool]:
            H = HessianLinearOperator(model, loss, params, [(X, y)], check_deterministic=False).to_scipy()
            count = [0]

            def mv(x: np.ndarray) -> np.ndarray:
                count[0] += 1
                return np.asarray(H @ x)
            op = sla.LinearOperator(H.shape, matvec=mv, dtype=np.float64)
            vals = sla.eigsh(op, k=1, which="LM", v0=np.ones(H.shape[0]), return_eigenvectors=False)
            return float(abs(vals[0])), count[0], False
        out.append(("curvlinops HessianLinearOperator + scipy eigsh (defaults)", _timed(curvlinops_eigsh)))
    if importlib.util.find_spec("pyhessian") is None:
        out.append(("PyHessian", "not installed (pip install pyhessian)"))
    else:
        import pyhessian
        mod = sys.modules["pyhessian.hessian"]

        def pyh() -> tuple[float, int, bool]:
            count = [0]
            orig = mod.hessian_vector_product

            def counted(*a: Any, **k: Any) -> Any:
                count[0] += 1
                return orig(*a, **k)
            mod.hessian_vector_product = counted
            try:
                torch.manual_seed(0)
                h = pyhessian.hessian(model, loss, data=(X, y), cuda=False)
                vals, _ = h.eigenvalues()  # defaults: maxIter=100, tol=1e-3, top_n=1 (power iteration)
            finally:
                mod.hessian_vector_product = orig
            return float(abs(vals[0])), count[0], False
        out.append(("PyHessian eigenvalues() (defaults: power iteration, tol 1e-3)", _timed(pyh)))
    if importlib.util.find_spec("hessian_eigenthings") is None:
        out.append(("hessian-eigenthings", "not installed (pip install hessian-eigenthings)"))
    else:
        import hessian_eigenthings as he

        def eigenthings() -> tuple[float, int, bool]:
            op = he.HessianOperator(model, [(X, y)], he.supervised_loss(loss))
            count = [0]
            orig = op.matvec

            def mv(v: Any) -> Any:
                count[0] += 1
                return orig(v)
            op.matvec = mv  # type: ignore[method-assign]
            res = he.lanczos(op, k=1, seed=0)  # defaults: max_iter = min(2k, n - 1) = 2 steps
            return float(res.eigenvalues.abs().max()), count[0], False
        out.append(("hessian-eigenthings lanczos(k=1) (defaults)", _timed(eigenthings)))
    return out, check_reference(model, loss, X, y)


HEAD = "| model (n) | tool | rel. error vs float64 reference | HVPs | seconds | error bar |"


def peer_rows(name: str, model: nn.Module, loss: Any, X: torch.Tensor, y: torch.Tensor) -> list[str]:
    results, (truth, note) = peers(model, loss, X, y)
    n = sum(p.numel() for p in model.parameters())
    rows = []
    for tool, res in results:
        if isinstance(res, str):
            rows.append(f"| {name} ({n:,}) | {tool} | {res if res.startswith('failed') else 'skipped: ' + res} | | | |")
        else:
            v, hvps, sec, bar = res
            rows.append(f"| {name} ({n:,}) | {tool} | {abs(v - truth) / truth:.1e} | {hvps} | {sec:.3f} | "
                        f"{'yes' if bar else 'no'} |")
    rows.append(f"| {name} ({n:,}) | reference | {note} | | | |")
    return rows
