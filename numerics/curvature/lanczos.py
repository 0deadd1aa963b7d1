"""Lanczos with full reorthogonalisation for ||H||_2, with a certified bracket.

Both ends of the spectrum are tracked (the Ritz value of largest modulus may be negative).
Stopping rules: ``stop="bracket"`` (default): the probabilistic upper bound of
:mod:`warmup_theory.numerics.curvature.certificate` is within ``tol`` (relative) of the largest |Ritz value|;
``stop="residual"``: the Ritz residual estimate beta_m |s_{m,top}| of the Ritz value theta of
largest modulus is <= tol |theta| (there is then an eigenvalue within that residual of theta; the
certified upper bound is computed once at the end and is usually much wider than tol). After
stopping, one explicit HVP on the Ritz vector y gives the deterministic lower bound ||H y|| <= ||H||_2
and the true residual ||H y - (y^T H y) y|| (not the recurrence's estimate beta_m |s_mj|).

Scale. When the first product ||H q_1|| is outside [2^-300, 2^300] the run is on H / 2^k (a
power of two, exact) and the results are multiplied back; norms are scale-safe
(:mod:`warmup_theory.numerics.curvature.scaling`), so a Hessian of size 1e-250 or 1e160 gives the same
bracket (relative) as one of size 1. A breakdown (beta = 0) is only taken when the
reorthogonalised vector is really (numerically) zero (beta_m <= the allowance); before n steps it only
bounds the residual, so an eigenvalue with overlap >= c may still lie ~ beta_m / c above the Ritz values,
and ``upper`` comes from the breakdown form of the certificate (certificate.py, "Breakdown"), not from
the Ritz values plus the allowance. ``converged`` is never True with an infinite end.

Memory and cost: the basis is one preallocated (k_max, n) tensor on the problem's device,
k_max = min(max_hvps - 1, n), float64 by default (k_max n 8 bytes; ``basis_dtype=torch.float32``
halves it), capped by ``memory_budget`` (a clear ``ValueError`` when it cannot hold the basis).
Each step reorthogonalises against the whole basis with blocked classical Gram-Schmidt (two
matrix-vector products per pass, a second pass by the DGKS criterion), so a step costs one HVP
plus O(j n) memory traffic; no Python loop over the vectors.

>>> import torch
>>> H = torch.diag(torch.tensor([3.0, 1.0, -5.0, 0.5], dtype=torch.float64))
>>> out = lanczos_norm(lambda v: H @ v, 4, tol=1e-10, max_hvps=20, v0=None,
...                    generator=torch.Generator().manual_seed(0), delta=1e-3)
>>> round(out["value"], 12), out["eigenvalue"] < 0, out["certificate"]
(5.0, True, 'deterministic')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.linalg
import torch

from warmup_theory.numerics.curvature.certificate import (
    WARM_NOISE,
    lanczos_upper_bound,
    margin_and_bound,
    start_vector,
)
from warmup_theory.numerics.curvature.recurrence import _next_vector, _product, _times_pow2, _two_pass_ritz, _update
from warmup_theory.numerics.curvature.scaling import operator_exponent, safe_norm, scale_back

__all__ = ["lanczos_norm", "basis_bytes", "DGKS", "LanczosWorkspace", "REORTH"]

#: values of ``reorth``
REORTH = ("full", "none")

_EPS = float(np.finfo(np.float64).eps)
_MAX = float(np.finfo(np.float64).max)


def basis_bytes(n: int, steps: int, dtype: torch.dtype = torch.float64) -> int:
    """Bytes of the preallocated Krylov basis: ``steps`` rows of n entries of ``dtype``."""
    return int(steps) * int(n) * torch.empty((), dtype=dtype).element_size()


def _stored_steps(n: int, steps: int, dtype: torch.dtype, memory_budget: int) -> int:
    """Lanczos steps whose basis fits ``memory_budget`` (at most ``steps``)."""
    return min(steps, memory_budget // max(basis_bytes(n, 1, dtype), 1))


def _check_budget(n: int, steps: int, dtype: torch.dtype, memory_budget: int | None) -> None:
    if memory_budget is None:
        return
    if isinstance(memory_budget, bool) or not isinstance(memory_budget, int) or memory_budget <= 0:
        raise ValueError(f"memory_budget must be a positive int (bytes) or None, got {memory_budget!r}")
    need = basis_bytes(n, steps, dtype)
    if need > memory_budget:
        per = basis_bytes(n, 1, dtype)
        fits = memory_budget // per
        raise ValueError(f"memory_budget = {memory_budget:,} bytes cannot hold the Lanczos basis: {steps} vectors "
                         f"of n = {n:,} {str(dtype).replace('torch.', '')} entries need {need:,} bytes "
                         f"(k_max * n * bytes); it holds {fits} vectors: pass max_hvps <= {fits + 1}"
                         + ("" if dtype == torch.float32 else " or basis_dtype=torch.float32")
                         + ", or raise memory_budget")


class LanczosWorkspace:
    """Memory for the Krylov basis, kept between runs (e.g. one per :class:`CurvatureTracker`).

    A fresh (k_max, n) tensor costs the operating system's first-touch page faults on every run
    (about 0.7 ms per 1.6 MB row on the benchmark machine, a third of a 200k-parameter HVP); a workspace
    pays them once. It holds at most one buffer (``nbytes``), grown when a run needs more rows or another
    n, dtype or device; ``release()`` frees it.

    >>> ws = LanczosWorkspace()
    >>> a = ws.basis(4, 10, torch.float64, torch.device("cpu")); b = ws.basis(3, 10, torch.float64, torch.device("cpu"))
    >>> a.data_ptr() == b.data_ptr(), ws.nbytes
    (True, 320)
    """

    def __init__(self) -> None:
        self._buf: torch.Tensor | None = None

    @property
    def nbytes(self) -> int:
        """Bytes held (0 when empty)."""
        return 0 if self._buf is None else self._buf.numel() * self._buf.element_size()

    def basis(self, steps: int, n: int, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
        """A (steps, n) tensor of ``dtype`` on ``device`` (contents undefined)."""
        buf = self._buf
        if buf is None or buf.shape[1] != n or buf.shape[0] < steps or buf.dtype != dtype or buf.device != device:
            self._buf = None  # free the old buffer before allocating the new one
            buf = self._buf = torch.empty(steps, n, dtype=dtype, device=device)
        return buf[:steps]

    def release(self) -> None:
        """Free the buffer."""
        self._buf = None


def _project_out(w: torch.Tensor, Qj: torch.Tensor, scratch: torch.Tensor) -> None:
    """w <- w - Qj^T (Qj w) in place: one classical Gram-Schmidt pass as two matrix-vector
    products over the basis (Qj holds rows of the basis; ``scratch`` is the basis dtype)."""
    if Qj.dtype == w.dtype:
        w.addmv_(Qj.T, torch.mv(Qj, w), alpha=-1.0)
    else:
        scratch.copy_(w)
        h = torch.mv(Qj, scratch)
        w.sub_(torch.mv(Qj.T, h).to(w.dtype))


#: DGKS criterion (Daniel, Gragg, Kaufman, Stewart 1976; the constant ARPACK's dsaitr uses): after
#: one classical Gram-Schmidt pass the vector is kept when its norm fell by less than this factor,
#: else a second pass is made ("twice is enough", Kahan-Parlett); so CGS2 costs two passes only
#: when cancellation makes them necessary.
DGKS = 0.717


def _next_test(j: int, margin: float, last: tuple[int, float, float]) -> tuple[int, tuple[int, float, float]]:
    """The step of the next certificate test after a failed test at step j with log-margin ``margin`` (< 0),
    and the new memory (step, margin, r) with r the fastest growth of the margin per step seen so far
    (at least NEXT_TEST_RATE). The next test is made after s = floor(-margin / (2 r)) steps, 1 <= s <= 4:
    the margin would have to grow more than twice as fast as ever seen to cross 0 unseen. Saves only time
    (each test costs about one HVP at n ~ 1e3): the run may stop a step or two after the first certifying
    step, with a narrower bracket, never earlier."""
    j0, m0, r = last
    if math.isfinite(margin) and math.isfinite(m0) and j > j0:
        r = max(r, (margin - m0) / (j - j0))
    if not math.isfinite(margin):
        return j + 1, (j, margin, r)
    return j + min(4, max(1, int(-margin / (2.0 * r)))), (j, margin, r)


#: growth per step assumed for the certificate's log-margin before any is observed (_next_test); in the
#: benchmark's 837-parameter run it grows by 1.5-1.8 per step once the target width is in reach
NEXT_TEST_RATE = 2.0


def _check_finite(w: torch.Tensor) -> None:
    """``ValueError`` if w has a NaN or infinite entry. One pass (the 2-norm is NaN/inf whenever an entry is);
    the slower max-norm only separates a true non-finite entry from an overflowing sum of squares."""
    if not math.isfinite(float(torch.linalg.vector_norm(w))) and \
            not math.isfinite(float(torch.linalg.vector_norm(w, math.inf))):
        raise ValueError("the Hessian-vector product is not finite at the given parameters")


def _ritz_needed(j: int, steps_max: int, next_test: int, stop: str, history: bool, small_b: bool) -> bool:
    """Whether step j (0-based) needs the Ritz values and vectors of T_{j+1}: a stop test is due, a history is
    kept, it is the last possible step (steps_max <= n), or b may be a breakdown (``small_b``: b <= 16 (j+1) u
    (max|alpha| + 2 max beta) >= the allowance, as ||T||_2 <= max|alpha| + 2 max beta by Gershgorin). Otherwise
    nothing reads them and the O(m^2) tridiagonal eigensolve is skipped; the run is the same either way."""
    return history or stop == "residual" or j + 1 == steps_max or j >= max(2, next_test) or small_b


def _nonorth_terms(m: int, n: int, u_basis: float, f_err2: float) -> tuple[float, float]:
    """``basis_norm2`` and ``recurrence_error`` of the certificate for m unit-normalised vectors that
    are not orthogonal: ||Q_m||_2^2 <= ||Q_m||_F^2 <= m (1 + (n + 3) u + u_basis)^2 (normalisation by a
    computed norm, the stored row's rounding), ||F_m||_F = sqrt(f_err2)."""
    return m * (1.0 + (n + 3) * _EPS + u_basis) ** 2, math.sqrt(f_err2)


def lanczos_norm(matvec: Callable[[torch.Tensor], torch.Tensor], n: int, *, tol: float, max_hvps: int,
                 v0: torch.Tensor | None, generator: torch.Generator | None, delta: float,
                 device: torch.device | str = "cpu", stop: str = "bracket",
                 history: list[tuple[int, float, float]] | None = None, memory_budget: int | None = None,
                 basis_dtype: torch.dtype = torch.float64, warm_noise: float = WARM_NOISE,
                 reorth: str = "full", workspace: LanczosWorkspace | None = None) -> dict[str, Any]:
    """Run Lanczos on ``matvec`` (symmetric, size n); returns the fields of a SpectralNormResult.

    ``history`` (optional list) receives (hvps, max |theta|, upper or inf) after every step.

    ``max_hvps`` counts every product, including the final explicit one (so at most
    ``max_hvps - 1`` Lanczos steps). The basis is one preallocated (k_max, n) tensor,
    k_max = min(max_hvps - 1, n), of ``basis_dtype`` on ``device``: k_max * n * 8 bytes for float64
    (4 for float32). ``memory_budget`` (bytes, optional) caps it: ``ValueError`` when the basis does
    not fit. With ``reorth="none"`` the basis is optional and the layout with more steps is taken: as many
    rows as fit, or no basis (three float64 vectors; m <= max_hvps // 2 steps, the Ritz vector rebuilt by a
    second pass of the recurrence, ``basis="two-pass"``); a budget that holds neither the basis nor three
    float64 vectors is a ``ValueError``.
    Reorthogonalisation: full, blocked classical Gram-Schmidt (two matrix-vector products over the
    basis per pass), a second pass when the DGKS criterion asks for it. A float32 basis
    halves memory and traffic; the rounding allowance of the certificate then uses u(float32).
    ``warm_noise``: relative size of the Gaussian part mixed into a warm start ``v0``
    (:func:`~warmup_theory.numerics.curvature.certificate.start_vector`).
    ``reorth="none"``: plain three-term recurrence (one HVP and O(n) work per step; the basis is
    stored for the Ritz vector unless ``memory_budget`` says otherwise, see above); the certificate then
    uses the non-orthogonal form of the lemma (certificate.py, "Without reorthogonalisation": ||Q_m||_F^2 and
    the recurrence's rounding ||F_m|| enter), the result is never "deterministic", and ghost Ritz values may
    appear. A breakdown (beta_m <= the rounding allowance, e.g. few distinct eigenvalues) stops the run; the
    bound is then the better of the plain form and the breakdown form (certificate.py, "Breakdown": beta_m
    joins ||F_m||, one polynomial degree more).
    ``workspace``: reuse the basis memory of earlier runs (:class:`LanczosWorkspace`).
    """
    if stop not in ("bracket", "residual"):
        raise ValueError(f"stop must be 'bracket' or 'residual', got {stop!r}")
    if reorth not in REORTH:
        raise ValueError(f"reorth must be 'full' or 'none', got {reorth!r}")
    full = reorth == "full"
    if basis_dtype not in (torch.float64, torch.float32):
        raise ValueError(f"basis_dtype must be torch.float64 or torch.float32, got {basis_dtype!r}")
    device = torch.device(device)
    steps_max = min(max_hvps - 1, n)
    _check_budget(n, 0, basis_dtype, memory_budget)  # its type and sign
    stored = True
    if not full and memory_budget is not None:  # the basis is optional: the layout with the most steps
        fit, two_pass = _stored_steps(n, steps_max, basis_dtype, memory_budget), min(max_hvps // 2, n)
        if fit < two_pass and basis_bytes(n, 3) <= memory_budget:  # three vectors; the Ritz vector later
            stored, steps_max, basis_dtype = False, two_pass, torch.float64
        elif fit >= two_pass:
            steps_max = fit
    if stored:
        _check_budget(n, steps_max, basis_dtype, memory_budget)
    rows = steps_max if stored else 2
    u_basis = _EPS if basis_dtype == torch.float64 else float(torch.finfo(torch.float32).eps)
    q, log_c_delta = start_vector(n, v0, generator, device, warm_noise)
    log_c = log_c_delta + math.log(delta)
    Q = (workspace or LanczosWorkspace()).basis(rows, n, basis_dtype, device)
    Q[0] = q
    q0 = q  # never written in place: the start vector of a second pass
    scratch = torch.empty(n if full else 0, dtype=basis_dtype, device=device)  # for _project_out only
    q_prev = q  # not read before step 1
    alpha: list[float] = []
    beta: list[float] = []
    hvps = 0
    upper = math.inf
    certificate = "probabilistic"
    theta = np.zeros(1)
    S = np.ones((1, 1))
    upper_at = -1  # number of Lanczos steps at which `upper` was computed
    allowance = 0.0
    f_err2 = 0.0  # reorth="none": running bound on ||F_m||_F^2 (certificate.py)
    f_beta2: float | None = None  # reorth="none" broke down: f_err2 + f_beta2 >= ||F_m + beta_m q e_m^T||_F^2
    w64: torch.Tensor | None = None
    a_max = b_max = 0.0  # max |alpha_i|, max beta_i so far
    coef_np = np.zeros(2)
    coef = torch.from_numpy(coef_np)
    next_test, last_margin = 0, (-1, -math.inf, NEXT_TEST_RATE)  # when to test the certificate next
    k = 0  # the run is on H / 2**k (scaling.operator_exponent of the first product; 0 at normal scales)
    for j in range(steps_max):
        w, w64 = _product(matvec, q, w64)
        hvps += 1
        if j == 0:  # later products are checked through a and b (a non-finite entry makes them NaN/inf)
            _check_finite(w)
            k = operator_exponent(safe_norm(w))
        w = _times_pow2(w, -k)
        if w.data_ptr() == q.data_ptr():  # matvec returned its input: do not overwrite q
            w = w.clone()
        a = float(q @ w)
        alpha.append(a)
        if j > 0 and Q.dtype == torch.float64:  # q_prev, q are rows of Q: one fused pass
            _update(w, Q, j, a, beta[-1], coef_np, coef)
        else:
            w.add_(q, alpha=-a)
            if j > 0:
                w.add_(q_prev, alpha=-beta[-1])
        if full:
            before = safe_norm(w)
            _project_out(w, Q[: j + 1], scratch)
            b = safe_norm(w)  # b > 0 whenever w != 0 (no underflow to a false breakdown)
            if b < DGKS * before:
                _project_out(w, Q[: j + 1], scratch)
                b = safe_norm(w)
        else:
            b = safe_norm(w)
            # local error of the step (two axpys, the dot, the division; the stored row's rounding), with
            # ||H q|| <= |a| + beta_prev + b + (rounding) by the triangle inequality on the recurrence
            step_err = 8.0 * _EPS * (abs(a) + (beta[-1] if j else 0.0) + b) + u_basis * b
            f_err2 += step_err ** 2
        if not (math.isfinite(a) and math.isfinite(b)):
            raise ValueError("the Hessian-vector product is not finite at the given parameters")
        a_max = max(a_max, abs(a))
        if not _ritz_needed(j, steps_max, next_test, stop, history is not None,
                            b <= 16.0 * (j + 1) * u_basis * max(a_max + 2.0 * b_max, b)):
            beta.append(b)
            b_max = max(b_max, b)
            q_prev, q = _next_vector(w, b, Q, (j + 1) % rows, q)
            continue
        theta, S = scipy.linalg.eigh_tridiagonal(np.array(alpha), np.array(beta), check_finite=False)
        scale = float(np.max(np.abs(theta)))
        q2, f_err = (1.0, 0.0) if full else _nonorth_terms(j + 1, n, u_basis, f_err2)
        # Rounding allowance on Ritz values (backward stability of Lanczos with full
        # reorthogonalisation): 16 (j+1) u ||T||, u of the basis dtype. See certificate.py.
        allowance = 16.0 * (j + 1) * u_basis * max(scale, float(np.max(np.abs(alpha))), b)
        if full and j + 1 == n:  # Q_n is a basis of R^n: theta are eigenvalues (of a perturbation of H)
            upper, upper_at, certificate = scale + allowance, j + 1, "deterministic"
            break
        if j == 0 and a == 0.0 and b == 0.0:  # H q_1 = 0 exactly: on the event, lambda_* c_* = <H q_1, u_*> = 0
            upper, upper_at = 0.0, 1
            break
        if full and b <= allowance:  # breakdown before n: invariant only up to beta_m, so an eigenvalue with
            # overlap >= c can lie ~ beta_m / c from every Ritz value (not within the allowance): the breakdown
            # form of the certificate, F = beta_m q_{m+1} e_m^T plus the allowance per column, unit columns
            upper = lanczos_upper_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance,
                                        basis_norm2=_nonorth_terms(j + 1, n, u_basis, 0.0)[0],
                                        recurrence_error=b * (1.0 + (n + 3) * _EPS) + math.sqrt(j + 1) * allowance,
                                        breakdown=True)
            upper_at = j + 1
            break
        if not full and b <= allowance:  # breakdown: beta_m q_{m+1} (norm <= b (1 + (n + 3) u)) joins the last
            # column of F_m, the identity then holds for every degree (certificate.py, "Breakdown")
            f_beta2 = (step_err + b * (1.0 + (n + 3) * _EPS)) ** 2 - step_err ** 2
            break
        beta.append(b)
        b_max = max(b_max, b)
        if stop == "residual":
            top = int(np.argmax(np.abs(theta)))
            if b * abs(S[-1, top]) <= tol * scale:
                break
        elif j >= max(2, next_test) and b * float(np.max(np.abs(S[-1, np.abs(theta) >= scale * (1 - tol)]))) \
                <= 1.5 * math.sqrt(2.0 * tol) * scale + allowance:
            # Skip test (saves time only): if ||H|| <= (1 + tol) theta_top then the extreme Ritz
            # residual obeys r^2 <= (lambda_max - theta)(theta - lambda_min) <= 2 tol theta^2.
            # One evaluation per candidate polynomial decides whether the target width is certified
            # (margin > 0); the search for the smallest certified U then runs on the certifying candidates
            # only (or on all of them when a history is requested); after a failed test the next is
            # scheduled by _next_test. `target` itself is certified; the search may stop just above it.
            target = scale * (1.0 + tol)
            margin, found = margin_and_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance, bound=target,
                                             basis_norm2=q2, recurrence_error=f_err)
            done = margin > 0
            if not done and history is None:
                next_test, last_margin = _next_test(j, margin, last_margin)
            if done or history is not None:
                upper = found if history is None else min(found, lanczos_upper_bound(
                    theta, S[0] ** 2, log_c=log_c, allowance=allowance, basis_norm2=q2, recurrence_error=f_err))
                upper_at = j + 1
            if history is not None:
                history.append((hvps, scale_back(scale, k), scale_back(upper, k)))
            if done:
                break
        if history is not None and (not history or history[-1][0] != hvps):
            history.append((hvps, scale_back(scale, k), math.inf))
        if j + 1 == steps_max:
            break
        q_prev, q = _next_vector(w, b, Q, (j + 1) % rows, q)
    m = len(alpha)
    if upper_at != m:
        q2, f_err = (1.0, 0.0) if full else _nonorth_terms(m, n, u_basis, f_err2)
        upper = lanczos_upper_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance,
                                    basis_norm2=q2, recurrence_error=f_err)
        if f_beta2 is not None:  # and the breakdown form (one degree more, beta_m in F): both hold on the event
            upper = min(upper, lanczos_upper_bound(theta, S[0] ** 2, log_c=log_c, allowance=allowance, basis_norm2=q2,
                                                   recurrence_error=math.sqrt(f_err2 + f_beta2), breakdown=True))
    nonorth = None  # reorth="none": the certificate's inputs, for solve_problem's rounding of non-float64 HVPs
    if not full and not (upper_at == 1 and upper == 0.0):
        q2n, f_errn = _nonorth_terms(m, n, u_basis, f_err2)
        nonorth = dict(theta=theta, weights=S[0] ** 2, log_c=log_c, allowance=allowance, basis_norm2=q2n,
                       recurrence_error=f_errn,
                       breakdown_error=None if f_beta2 is None else math.sqrt(f_err2 + f_beta2))
    top = int(np.argmax(np.abs(theta)))
    if stored:
        y = (torch.as_tensor(S[:, top], dtype=basis_dtype, device=device) @ Q[:m]).to(torch.float64)
    else:
        y = _two_pass_ritz(matvec, Q, q0, alpha, beta, S[:, top], k)
        hvps += m - 1
    y = y / torch.linalg.vector_norm(y)
    hy = matvec(y).to(dtype=torch.float64, device=device).reshape(-1)
    hvps += 1
    _check_finite(hy)
    hy = _times_pow2(hy, -k)
    rho = float(y @ hy)
    lower = safe_norm(hy)  # ||H y|| <= ||H||, deterministic (all in units of 2**k)
    residual = safe_norm(hy - rho * y)
    upper = max(upper, lower)
    if stop == "residual":
        converged = residual <= tol * lower
    else:
        converged = upper - lower <= tol * lower
    lower, upper, residual = scale_back(lower, k), scale_back(upper, k), scale_back(residual, k)
    rho = math.copysign(scale_back(abs(rho), k), rho)
    if math.isinf(lower):  # ||H|| beyond the float64 range: the largest float is still a lower bound
        lower = _MAX
    converged = bool(converged) and math.isfinite(upper) and 0.0 <= lower <= upper
    return dict(value=lower, lower=lower, upper=upper, residual=residual, hvps=hvps,
                converged=converged, certificate=certificate, reorth=reorth,
                delta=0.0 if certificate == "deterministic" else delta, eigenvalue=rho, vector=y,
                steps=m, hv=hy, scale_exp=k, nonorth=nonorth, basis="stored" if stored else "two-pass",
                basis_bytes=basis_bytes(n, steps_max, basis_dtype) if stored else basis_bytes(n, 3))
