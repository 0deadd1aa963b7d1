"""The batched GD engine: B runs in one tensor program with per-run statuses and masking."""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.device import resolve_device
from warmup_theory.theory.validate import check_scalar

from .result import GDBatchResult
from .schedule import _CONV, _DIV, _MAXIT

_UNDEF = _MAXIT + 1  # the engine's own status code: an oracle run stopped on an undefined step (a "diverged")


def _per_run(name: str, value: Any, B: int, *, nonneg: bool = True) -> np.ndarray:
    """A scalar or [B] array of finite floats (>= 0 when ``nonneg``)."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number or an array of numbers, got bool")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}") from None
    if arr.ndim == 0:
        arr = np.full(B, float(arr))
    if arr.shape != (B,):
        raise ValueError(f"{name} must be a scalar or have shape [B] = [{B}], got shape {list(arr.shape)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got a non-finite entry at run {int(np.argmin(np.isfinite(arr)))}")
    if nonneg and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {float(arr.min())} at run {int(np.argmin(arr))}")
    return arr


def _as_w0(problem: Any, w0: Any, dtype: torch.dtype) -> torch.Tensor:
    if isinstance(w0, torch.Tensor):
        W = w0.detach().to(device="cpu", dtype=dtype).clone()
    else:
        try:
            W = torch.as_tensor(np.asarray(w0, dtype=np.float64), dtype=dtype).clone()
        except (TypeError, ValueError):
            raise TypeError(f"w0 must be an array of numbers, got {type(w0).__name__}") from None
    dim = int(problem.dim)
    if W.ndim == 1 and dim == 1:
        W = W.reshape(-1, 1)
    if W.ndim != 2 or W.shape[1] != dim:
        raise ValueError(f"w0 must have shape [B, d] with d = problem.dim = {dim}, got {list(W.shape)}")
    if W.shape[0] < 1:
        raise ValueError("w0 must contain at least one run (B >= 1)")
    if not bool(torch.isfinite(W).all()):
        raise ValueError("w0 must be finite (found NaN or inf)")
    return W


class _Evaluator:
    """f on a subset of runs, with the problem's parameters moved to device/dtype."""

    def __init__(self, problem: Any, B: int, device: torch.device, dtype: torch.dtype,
                 autograd: bool = False) -> None:
        fn = getattr(problem, "fn", None)
        vg = getattr(problem, "vg_fn", None)
        self.vg = vg if (fn is not None and not autograd) else None
        self.batch = getattr(problem, "batch", None)
        if self.batch is not None and self.batch != B:
            raise ValueError(f"w0 must have B = problem.batch = {self.batch} runs "
                             f"(the problem has per-run parameters), got {B}")
        self.fn = fn
        self.f = problem.f
        if fn is not None:
            def mv(t: torch.Tensor) -> torch.Tensor:
                return t.to(device=device, dtype=dtype) if t.is_floating_point() else t.to(device)
            self.run_params = {k: mv(v) for k, v in (getattr(problem, "run_params", None) or {}).items()}
            self.shared = {k: mv(v) for k, v in (getattr(problem, "shared_params", None) or {}).items()}
        fstar = problem.f_star
        self.f_star = torch.as_tensor(_per_run("f_star", fstar, B, nonneg=False), dtype=dtype, device=device)

    def params(self, rows: torch.Tensor | None) -> dict[str, torch.Tensor]:
        params = dict(self.shared)
        for k, v in self.run_params.items():
            params[k] = v if rows is None else v[rows]
        return params

    def __call__(self, W: torch.Tensor, rows: torch.Tensor | None) -> torch.Tensor:
        if self.fn is not None:
            out = self.fn(W, self.params(rows))
        else:
            if rows is not None and self.batch is not None:
                raise RuntimeError("a batched problem without `fn` cannot be compacted")
            out = self.f(W)
        if out.shape != (W.shape[0],):
            raise ValueError(f"problem.f must return shape [B] = [{W.shape[0]}], got {list(out.shape)}")
        return out

    def value_and_grad(self, W: torch.Tensor, params: dict[str, torch.Tensor] | None,
                       rows: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """(f, ∇f) on the working set: the problem's closed form ``vg_fn`` when present, else autograd
        of f(W).sum() (rows are independent, so this is the per-run gradient)."""
        if self.vg is not None:
            return self.vg(W, params if params is not None else self.params(rows))
        with torch.enable_grad():
            Wg = W.detach().requires_grad_(True)
            fv = self(Wg, rows)
            (g,) = torch.autograd.grad(fv.sum(), Wg)
        return fv.detach(), g


def run_gd(problem: Any, w0: Any, alpha: Any, beta: Any, *, eps: float, max_iter: int = 100_000,
           record: bool = False, device: Any = None, dtype: torch.dtype = torch.float64,
           diverge_factor: float = 1e12, sync_every: int | None = None,
           autograd: bool = False, increase_rtol: float | None = None,
           increase_atol: float | None = None) -> GDBatchResult:
    """Run B gradient-descent runs with steps η_k = 1/(alpha + beta·(f(w_k) − f*)) at once.

    problem: a :class:`warmup_theory.numerics.problems.Problem` (``dim``, ``f`` on [B, d] → [B],
    ``f_star``; optional per-run parameters ``run_params`` with ``fn``, then B must
    equal ``problem.batch``).  w0: [B, d] (or [B] when d = 1).  alpha, beta: scalars
    or [B], finite, >= 0.  eps > 0.  ``sync_every``: how often (in iterations) the
    host checks whether any run is still active and compacts the working set
    (default 1 on CPU, 16 on CUDA); the first-hit iteration is exact either way,
    because convergence/divergence are recorded on the device every iteration.
    ``autograd=True`` forces autograd gradients even when the problem has a closed-form ``vg_fn``.
    ``increase_rtol`` / ``increase_atol`` (>= 0; None → 1e-12 / 1e-300 in float64, 1e-4 / 1e-35
    in float32): tolerances of the gap-increase monitor (module docstring).

    Returns a :class:`GDBatchResult`; see the module docstring for the semantics.

    >>> from warmup_theory.numerics.problems import quadratic_problem
    >>> p = quadratic_problem([1.0, 4.0])
    >>> r = run_gd(p, [[1.0, 1.0]], 4.0, 0.0, eps=1e-8, device="cpu")   # η = 1/alpha = 1/L
    >>> r.status, int(r.iterations[0])     # gap_k = ½·(3/4)^{2k}: first k with gap <= 1e-8 is 31
    (('converged',), 31)
    >>> r = run_gd(p, [[1.0, 1e-2]], 1 / 0.6, 0.0, eps=1e-8, max_iter=40, device="cpu")  # η = 0.6 > 2/L
    >>> # gap_k = ½(0.16^k + 4·1.96^k·1e-4): decreases for k <= 4, then the λ = 4 mode takes over
    >>> r.status, bool(r.gap_increased[0]), int(r.first_increase[0])
    (('max_iter',), True, 4)
    """
    return _run(problem, w0, alpha, beta, eps=eps, max_iter=max_iter, record=record, device=device, dtype=dtype,
                diverge_factor=diverge_factor, sync_every=sync_every, autograd=autograd,
                increase_rtol=increase_rtol, increase_atol=increase_atol)[0]


#: ``oracle(W, idx, k, need_grad) -> (f(W), step_gap, grad)`` on the working set (run ids ``idx``): the
#: engine's gradient source when it is not the full gradient (SGD, :mod:`warmup_theory.numerics.gd.sgd`).
#: ``step_gap`` is the gap the step is built from; the step of a run whose a + b·step_gap is not > 0 is
#: undefined and the run stops as ``"diverged"`` (its entry of ``_run``'s second result is True).
Oracle = Callable[[torch.Tensor, torch.Tensor, int, bool], tuple[torch.Tensor, torch.Tensor, Any]]


def _run(problem: Any, w0: Any, alpha: Any, beta: Any, *, eps: float, max_iter: int = 100_000,
         record: bool = False, device: Any = None, dtype: torch.dtype = torch.float64,
         diverge_factor: float = 1e12, sync_every: int | None = None,
         autograd: bool = False, increase_rtol: float | None = None,
         increase_atol: float | None = None, oracle: Oracle | None = None,
         record_every: int = 1) -> tuple[GDBatchResult, np.ndarray]:
    """The loop behind :func:`run_gd` (``oracle=None``: full gradients) and ``run_sgd`` (an oracle);
    ``record_every``: history rows at k = 0, s, 2s, … (s = record_every).  Returns the result and, per run,
    whether it stopped on an undefined step (oracle runs only; status ``"diverged"``)."""
    eps = check_scalar("eps", eps, low=0, low_open=True)
    if isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral) or max_iter < 0:
        raise ValueError(f"max_iter must be an integer >= 0, got {max_iter!r}")
    max_iter = int(max_iter)
    diverge_factor = check_scalar("diverge_factor", diverge_factor, low=1, low_open=True)
    if dtype not in (torch.float64, torch.float32):
        raise ValueError(f"dtype must be torch.float64 or torch.float32, got {dtype}")
    dev = resolve_device(device)
    if sync_every is None:
        sync_every = 1 if dev.type == "cpu" else 16
    if sync_every < 1:
        raise ValueError(f"sync_every must be >= 1, got {sync_every}")
    f64 = dtype == torch.float64
    inc_rtol = check_scalar("increase_rtol", (1e-12 if f64 else 1e-4) if increase_rtol is None else increase_rtol,
                            low=0)
    inc_atol = check_scalar("increase_atol", (1e-300 if f64 else 1e-35) if increase_atol is None else increase_atol,
                            low=0)

    W_cpu = _as_w0(problem, w0, dtype)
    B = int(W_cpu.shape[0])
    alpha_np = _per_run("alpha", alpha, B)
    beta_np = _per_run("beta", beta, B)
    bad = (alpha_np == 0) & (beta_np == 0)
    if np.any(bad):
        raise ValueError(f"alpha and beta must not both be 0 (infinite step) at run {int(np.argmax(bad))}")

    t0 = time.perf_counter()
    ev = _Evaluator(problem, B, dev, dtype, autograd=autograd)
    tk = dict(device=dev, dtype=dtype)
    W = W_cpu.to(dev)
    idx = torch.arange(B, device=dev)                   # run ids of the working set
    a = torch.as_tensor(alpha_np, **tk)
    b = torch.as_tensor(beta_np, **tk)
    fstar = ev.f_star
    params = ev.params(None) if ev.fn is not None else None
    alive = torch.ones(B, dtype=torch.bool, device=dev)
    code = torch.zeros(B, dtype=torch.int8, device=dev)  # working-set status codes
    stop_k = torch.full((B,), -1, dtype=torch.int64, device=dev)
    first_inc = torch.full((B,), -1, dtype=torch.int64, device=dev)  # first k with gap_{k+1} > bound_k
    seen_inc = torch.zeros(B, dtype=torch.bool, device=dev)          # first_inc already set
    inc_bound = torch.full((B,), math.inf, **tk)                     # bound_k of the last step taken
    inc_base = inc_rtol * fstar.abs() + inc_atol                     # rtol·|f*| + atol
    # full-size outputs (written when the working set is compacted and at the end)
    out_code = torch.zeros(B, dtype=torch.int8, device=dev)
    out_stop = torch.full((B,), -1, dtype=torch.int64, device=dev)
    out_first = torch.full((B,), -1, dtype=torch.int64, device=dev)
    out_gap = torch.full((B,), math.nan, **tk)
    gap0 = torch.empty(B, **tk)
    gap_rows: list[torch.Tensor] = []
    step_rows: list[torch.Tensor] = []
    nan_row = torch.full((B,), math.nan, **tk)
    one8, two8 = torch.ones((), dtype=torch.int8, device=dev), torch.full((), 2, dtype=torch.int8, device=dev)
    undef8 = torch.full((), _UNDEF, dtype=torch.int8, device=dev)
    zero = torch.zeros((), **tk)

    def flush(mask: torch.Tensor) -> None:
        """Copy the results of the working-set runs in ``mask`` to the outputs; their final gap is
        re-evaluated at their frozen iterate (the iterate is not moved once a run stops)."""
        rows = idx[mask]
        out_code[rows] = code[mask]
        out_stop[rows] = stop_k[mask]
        out_first[rows] = first_inc[mask]
        with torch.no_grad():
            sub = None if rows.shape[0] == B else rows
            out_gap[rows] = ev(W[mask], sub) - fstar[mask]

    k = 0
    thresh = zero
    while True:
        rows = None if idx.shape[0] == B else idx   # compaction only ever removes runs
        sgap = None
        if oracle is not None:
            fv, sgap, g = oracle(W, idx, k, k < max_iter)
        elif k < max_iter:
            fv, g = ev.value_and_grad(W, params, rows)
        else:
            with torch.no_grad():
                fv = ev(W, rows)
            g = None
        gap = fv - fstar
        if k == 0:
            gap0.copy_(gap)
            thresh = diverge_factor * torch.clamp(torch.nan_to_num(gap, nan=1.0, posinf=1.0), min=1.0)
        if k > 0:   # the step k-1 -> k was taken by every run still alive; NaN counts as an increase
            inc = alive & ~(gap <= inc_bound)               # the monitor's one comparison per run and step
            first_inc = torch.where(inc & ~seen_inc, k - 1, first_inc)
            seen_inc = seen_inc | inc
        conv = gap <= eps
        # NaN compares False: a NaN gap is neither converged nor below the threshold → diverged
        newly = alive & (conv | ~(gap <= thresh))
        code = torch.where(newly, torch.where(conv, one8, two8), code)
        stop_k = torch.where(newly, k, stop_k)
        if record and k % record_every == 0:
            row = nan_row.clone()
            row[idx] = torch.where(alive, gap, nan_row[: gap.shape[0]])
            gap_rows.append(row)
        alive = alive & ~newly
        if k >= max_iter:
            break
        den = a + b * (gap if sgap is None else sgap)
        if sgap is not None:  # an undefined (infinite or negative) step stops the run as diverged
            undef = alive & ~(den > 0)
            code = torch.where(undef, undef8, code)
            stop_k = torch.where(undef, k, stop_k)
            alive = alive & ~undef
        step = torch.where(alive, 1.0 / den, zero)
        # bound_k = gap_k + rtol·(gap_k + Σ|w_i g_i|) + (rtol·|f*| + atol); compared at the next iteration
        inc_bound = gap + inc_rtol * (gap + (W * g).abs().sum(dim=1)) + inc_base
        W = torch.where(alive[:, None], W - step[:, None] * g, W)
        if record and k % record_every == 0:
            row = nan_row.clone()
            row[idx] = torch.where(alive, step, nan_row[: step.shape[0]])
            step_rows.append(row)
        k += 1
        if k % sync_every == 0:
            n_alive = int(alive.sum().item())
            if n_alive == 0:
                break
            if n_alive <= idx.shape[0] // 2:   # compact the working set
                flush(~alive)
                keep = alive
                idx, W, a, b, fstar, thresh = idx[keep], W[keep], a[keep], b[keep], fstar[keep], thresh[keep]
                code, stop_k = code[keep], stop_k[keep]
                first_inc, seen_inc = first_inc[keep], seen_inc[keep]
                inc_bound, inc_base = inc_bound[keep], inc_base[keep]
                params = ev.params(idx) if ev.fn is not None else None
                alive = torch.ones(idx.shape[0], dtype=torch.bool, device=dev)
    # runs still alive hit max_iter (or the loop ended on max_iter)
    code = torch.where(alive, torch.full_like(code, _MAXIT), code)
    stop_k = torch.where(alive, torch.full_like(stop_k, k), stop_k)
    flush(torch.ones(idx.shape[0], dtype=torch.bool, device=dev))
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    seconds = time.perf_counter() - t0

    codes = out_code.cpu().numpy()
    stopped_at = out_stop.cpu().numpy().astype(np.int64)
    iterations = np.where(codes == _CONV, stopped_at, -1).astype(np.int64)
    first_increase = out_first.cpu().numpy().astype(np.int64)
    names = {_CONV: "converged", _DIV: "diverged", _MAXIT: "max_iter", _UNDEF: "diverged"}
    status = tuple(names[int(c)] for c in codes)
    gh = sh = None
    if record:
        T = int(stopped_at.max()) if B else 0
        gh = torch.stack(gap_rows[: T // record_every + 1]).cpu().numpy() if gap_rows else np.zeros((0, B))
        n_steps = (T - 1) // record_every + 1 if T > 0 else 0
        sh = torch.stack(step_rows[:n_steps]).cpu().numpy() if n_steps > 0 else np.zeros((0, B))
    result = GDBatchResult(
        iterations=iterations, status=status, final_gap=out_gap.cpu().numpy(), gap_history=gh,
        step_history=sh, seconds=seconds, device=str(dev), dtype=str(dtype).replace("torch.", ""),
        stopped_at=stopped_at, gap0=gap0.cpu().numpy(), eps=float(eps), max_iter=max_iter,
        alpha=alpha_np, beta=beta_np, loop_iterations=k,
        gap_increased=first_increase >= 0, first_increase=first_increase,
        increase_rtol=float(inc_rtol), increase_atol=float(inc_atol),
    )
    return result, codes == _UNDEF

