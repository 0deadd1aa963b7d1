r"""``hessian_spectral_norm``: ||∇²f(w)||_2 = max_i |lambda_i(∇²f(w))| with a certified bracket.

This is the curvature in Definition 3.1 (v2) of (H0,H1)-smoothness: the spectral norm (largest
|eigenvalue|) of the Hessian, not its largest eigenvalue, not a Frobenius norm.

Methods
-------
* ``"dense"``: the full Hessian (vmap of exact HVPs) + eigh in float64; exact reference,
  deterministic bracket.
* ``"lanczos"``: exact HVPs (by default one backward through a cached gradient graph per product,
  cross-checked against forward-over-reverse; see :mod:`warmup_theory.numerics.curvature.hvp`), full
  reorthogonalisation, both spectrum ends;
  ``lower`` is deterministic (||H y|| for a unit y), ``upper`` holds with probability
  >= 1 - ``delta`` over the Gaussian start drawn from ``generator`` (also with a warm start ``v0``,
  which is perturbed; see :mod:`warmup_theory.numerics.curvature.certificate`). Stops when the bracket's
  relative width is <= ``tol``.
* ``"power"``: cross-check only; stops when the estimate changes by < ``tol`` (relative), which
  certifies nothing; its probabilistic upper bound is loose.
* ``"eigsh"``: SciPy ARPACK on a LinearOperator (which='LM'); ``upper = inf`` (lower-only).
* ``"auto"``: ``dense`` for n <= AUTO_DENSE_MAX, else ``lanczos`` (threshold measured in
  benchmarks/curvature.py).

Non-convergence within ``max_hvps`` is a result (``converged=False`` with the bracket reached).
``converged`` is never True with an infinite or NaN end. All methods are scale-safe: a Hessian
of size 1e-250 or 1e160 is handled like one of size 1 (exact power-of-two rescaling,
:mod:`warmup_theory.numerics.curvature.scaling`).

Low-precision HVPs (float32, bfloat16, ...). The solvers' own arithmetic is float64, but each
HVP carries the rounding of its dtype, which the float64 certificate does not see. For such
params the bracket is widened (field ``rounding``, explanation in ``note``): the HVP error at
the returned vector is measured with one extra float64 HVP when ``loss_fn`` runs in float64
(the params cast to float64), else estimated a priori; see :func:`_widen_for_rounding` for the
argument and the factors. ``converged`` is False when ``tol`` < TOL_FLOOR_ULPS * u(dtype). The
float64 path is unchanged (no extra products).
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable
from typing import Any

import torch

from warmup_theory.numerics.curvature.certificate import WARM_NOISE, lanczos_upper_bound
from warmup_theory.numerics.curvature.dense import DENSE_MAX, dense_norm
from warmup_theory.numerics.curvature.hvp import FlatProblem, flatten_params
from warmup_theory.numerics.curvature.lanczos import REORTH, LanczosWorkspace, basis_bytes, lanczos_norm
from warmup_theory.numerics.curvature.power import power_norm
from warmup_theory.numerics.curvature.recurrence import _times_pow2
from warmup_theory.numerics.curvature.result import SpectralNormResult, _vector_like
from warmup_theory.numerics.curvature.scaling import safe_norm, scale_back
from warmup_theory.numerics.curvature.scipy_backend import eigsh_norm
from warmup_theory.theory.validate import check_scalar

__all__ = ["hessian_spectral_norm", "solve_problem", "resolve_stop", "METHODS", "AUTO_DENSE_MAX",
           "AUTO_BRACKET_MAX", "ONE_THREAD_MAX", "DEFAULT_MAX_HVPS", "TOL_FLOOR_ULPS", "APRIORI_ROUNDING_ULPS"]

METHODS = ("auto", "dense", "lanczos", "power", "eigsh")

#: ``auto`` uses the dense method up to this many parameters. Measured in
#: benchmarks/curvature.py (benchmarks/RESULTS.md, 2-core CPU): for MLPs with n <= 484 the
#: dense Hessian (n HVPs batched by vmap) + eigh took 0.1-0.5 s against 2-2.7 s for a certified
#: Lanczos run (tol 1e-6); at n = 837 (256 samples) both took ~10-20 s. The dense result is
#: also exact (deterministic bracket), so ties go to dense.
AUTO_DENSE_MAX = 500

#: ``converged`` is never reported when ``tol`` < TOL_FLOOR_ULPS * u(dtype of the HVPs)
#: (u = eps / 2, the unit round-off: 6e-8 for float32, so tol must be >= 6e-6 there).
TOL_FLOOR_ULPS = 100

#: Rounding allowance per HVP when no float64 HVP is available: APRIORI_ROUNDING_ULPS * u * ||H y||.
#: An estimate, not a bound: on 2-hidden-layer tanh/relu/sigmoid MLPs (10-20-20-1, MSE, float32,
#: n = 620, 3 seeds each) the measured ||fl(H y) - H y|| at the top Ritz vector was 1.4-20 u ||H||
#: (5-20x less at random unit vectors); deeper or badly scaled models can exceed it.
APRIORI_ROUNDING_ULPS = 64

#: Default HVP budgets: Lanczos keeps every vector (8 n bytes each); power iteration does not.
DEFAULT_MAX_HVPS = {"lanczos": 100, "eigsh": 400, "power": 1000}

#: ``stop="auto"`` (the default) means ``"bracket"`` for n <= AUTO_BRACKET_MAX, else ``"residual"``.
#: The figure it rests on (benchmarks/RESULTS.md, issue 11): with a random start the certified
#: relative width after k products cannot beat roughly (ln(1.6 sqrt(n) / delta) / (2k))^2 unless the
#: spectrum has a gap the deflated polynomials can use; at n = 837-2,241 (CE MLPs, an attention
#: layer) the bracket reached 1e-6 in 15-51 HVPs, while at n = 203,530 and 1,068,810 the default
#: 100 HVPs left widths of 8.5e-6 and 8.0e-3 (4.1e-3 on the issue's 203,530-parameter data; the
#: formula gives 4.6e-3 and 5.1e-3 gap-free), i.e.
#: ``converged=False`` for a user who asked tol = 1e-6. Above the threshold the run stops when the
#: Ritz residual of the value is <= tol |theta| (there is an eigenvalue within that distance of it),
#: and the certified bracket reached is still reported (field ``stop`` says which rule was used,
#: ``converged`` refers to it).
AUTO_BRACKET_MAX = 20_000

#: For n <= ONE_THREAD_MAX the solve runs with one torch thread (restored afterwards) unless
#: ``threads`` is given: on the shared 2-core benchmark machine (load 3-5) the 837-parameter run
#: took 0.033 s on one thread and 0.80 s on two in one run, 0.054 s and 0.032 s in another
#: (benchmarks/RESULTS.md, issue 11): one thread is never much slower and two can be 24x slower
#: when the other core is busy. Above it torch's setting is kept (two threads won at n = 203,530
#: in the bracket run, 0.98 s against 2.2 s).
ONE_THREAD_MAX = 20_000


def resolve_stop(stop: str, n: int) -> str:
    """The stopping rule used for ``stop`` at n parameters ("auto": see AUTO_BRACKET_MAX)."""
    if stop not in ("auto", "bracket", "residual"):
        raise ValueError(f"stop must be 'auto', 'bracket' or 'residual', got {stop!r}")
    if stop == "auto":
        return "bracket" if n <= AUTO_BRACKET_MAX else "residual"
    return stop


def _thread_count(threads: Any, n: int) -> int | None:
    """Thread count to run with (None: leave torch's setting alone)."""
    if threads is None:
        return 1 if n <= ONE_THREAD_MAX else None
    if isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 1:
        raise ValueError(f"threads must be an integer >= 1 or None, got {threads!r}")
    return int(threads)


def _check_common(method: str, tol: Any, max_hvps: Any, delta: Any, generator: Any) -> tuple[float, float]:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    tol = check_scalar("tol", tol, low=0, high=1, low_open=True, high_open=True)
    delta = check_scalar("delta", delta, low=0, high=1, low_open=True, high_open=True)
    if max_hvps is not None and (isinstance(max_hvps, bool) or not isinstance(max_hvps, numbers.Integral)
                                 or max_hvps < 2):
        raise ValueError(f"max_hvps must be an integer in [2, inf), got {max_hvps!r}")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
    return float(tol), float(delta)


def _flat_v0(v0: Any, problem: FlatProblem) -> torch.Tensor | None:
    if v0 is None:
        return None
    if isinstance(v0, SpectralNormResult):
        v0 = v0.eigenvector
    if isinstance(problem.template, dict):
        if not isinstance(v0, dict) or set(v0) != set(problem.template):
            raise ValueError("v0 must be a dict with the same keys as params (or a previous result)")
        v0 = {k: v0[k] for k in problem.template}
    flat, _ = flatten_params(v0, "v0")
    if flat.numel() != problem.n:
        raise ValueError(f"v0 must have {problem.n} entries, got {flat.numel()}")
    return flat


def solve_problem(problem: FlatProblem, *, method: str = "auto", tol: float = 1e-6,
                  max_hvps: int | None = None, v0: Any = None, generator: torch.Generator | None = None,
                  delta: float = 1e-3, stop: str = "auto", memory_budget: int | None = None,
                  basis_dtype: torch.dtype = torch.float64, threads: int | None = None,
                  warm_noise: float = WARM_NOISE, reorth: str = "full",
                  workspace: LanczosWorkspace | None = None) -> SpectralNormResult:
    """||H||_2 for a :class:`~warmup_theory.numerics.curvature.hvp.FlatProblem` (shared by the public APIs).

    ``stop="auto"`` resolves by n (AUTO_BRACKET_MAX); ``threads=None`` runs small problems
    (n <= ONE_THREAD_MAX) on one torch thread; ``memory_budget``/``basis_dtype``: the Lanczos basis
    (:func:`~warmup_theory.numerics.curvature.lanczos.lanczos_norm`). With the default ``max_hvps`` and a
    ``memory_budget``, the Lanczos budget is lowered to what the budget holds (at least 3 vectors; with
    ``reorth="full"`` only, ``"none"`` may run without a stored basis instead, see ``hessian_spectral_norm``).
    ``warm_noise``: relative size of the fresh Gaussian part of a warm start (Lanczos only;
    :func:`~warmup_theory.numerics.curvature.certificate.start_vector`). ``reorth``, ``workspace``: Lanczos
    reorthogonalisation (``"full"`` or ``"none"``) and reusable basis memory
    (:func:`~warmup_theory.numerics.curvature.lanczos.lanczos_norm`).
    """
    tol, delta = _check_common(method, tol, max_hvps, delta, generator)
    if reorth not in REORTH:
        raise ValueError(f"reorth must be one of {REORTH}, got {reorth!r}")
    stop = resolve_stop(stop, problem.n)
    nthreads = _thread_count(threads, problem.n)
    before = torch.get_num_threads()
    if nthreads is not None and nthreads != before:
        torch.set_num_threads(nthreads)
    try:
        lanczos_kw = dict(memory_budget=memory_budget, basis_dtype=basis_dtype, warm_noise=warm_noise,
                          reorth=reorth, workspace=workspace)
        return _solve(problem, method, tol, max_hvps, v0, generator, delta, stop, lanczos_kw)
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def _solve(problem: FlatProblem, method: str, tol: float, max_hvps: int | None, v0: Any,
           generator: torch.Generator | None, delta: float, stop: str,
           lanczos_kw: dict[str, Any]) -> SpectralNormResult:
    memory_budget, basis_dtype = lanczos_kw["memory_budget"], lanczos_kw["basis_dtype"]
    t0 = time.perf_counter()
    problem.check_well_posed()  # finite, attached, deterministic: clear errors before any HVP
    if method == "auto":
        method = "dense" if problem.n <= AUTO_DENSE_MAX else "lanczos"
    flat_v0 = _flat_v0(v0, problem)
    if method == "dense":
        if problem.n > DENSE_MAX:
            raise ValueError(f"method='dense' builds an n x n Hessian; n = {problem.n} > {DENSE_MAX}: "
                             "use method='lanczos'")
        out = dense_norm(problem.dense)
    else:
        budget = DEFAULT_MAX_HVPS[method] if max_hvps is None else int(max_hvps)
        if method == "lanczos" and max_hvps is None and memory_budget is not None:
            fit = memory_budget // basis_bytes(problem.n, 1, basis_dtype)
            if lanczos_kw["reorth"] == "full":
                budget = max(min(budget, fit + 1), 4)  # what fits (else lanczos_norm says so)
            elif fit < budget - 1 and basis_bytes(problem.n, 3) <= memory_budget:  # fewer rows than the default's
                budget = 2 * (budget - 1)  # steps: keep no basis and take those steps at twice the products
        solvers: dict[str, Callable[..., dict[str, Any]]] = {
            "lanczos": lanczos_norm, "power": power_norm, "eigsh": eigsh_norm}
        solver = solvers[method]
        if method == "eigsh" and problem.n < 3:  # ARPACK needs k < ncv < n
            solver, method = lanczos_norm, "lanczos"
        extra: dict[str, Any] = {}
        if solver is lanczos_norm:
            extra = dict(stop=stop, **lanczos_kw)
        out = solver(problem.hvp, problem.n, tol=tol, max_hvps=budget, v0=flat_v0,
                     generator=generator, delta=delta, device=problem.device, **extra)
    rounding, note = 0.0, ""
    if problem.dtype != torch.float64:
        out, rounding, note = _widen_for_rounding(problem, out, method, tol, stop)
    if out.get("basis") == "two-pass":
        note = (f"{note}; " if note else "") + ("no stored basis (memory_budget): the Ritz vector was rebuilt by a "
                                                f"second pass, {out['steps'] - 1} of the {out['hvps']} HVPs")
    if "arpack_converged" in out:
        arpack = "ARPACK converged" if out["arpack_converged"] else "ARPACK did not converge"
        note = f"{arpack}; converged=False: eigsh certifies no upper end" + (f"; {note}" if note else "")
    vec = out["vector"].to(problem.dtype)
    return SpectralNormResult(
        value=float(out["value"]), lower=float(out["lower"]), upper=float(out["upper"]),
        residual=float(out["residual"]), hvps=int(out["hvps"]), converged=bool(out["converged"]),
        method=method, certificate=out["certificate"], delta=float(out["delta"]),
        eigenvalue=float(out["eigenvalue"]), n=problem.n, dtype=str(problem.dtype).replace("torch.", ""),
        device=str(problem.device), seconds=time.perf_counter() - t0, rounding=rounding, note=note,
        stop=stop if method == "lanczos" else "", basis_bytes=int(out.get("basis_bytes", 0)),
        reorth=str(out.get("reorth", "")),
        eigenvector=_vector_like(vec, problem.template))


def _widen_for_rounding(problem: FlatProblem, out: dict[str, Any], method: str, tol: float,
                        stop: str) -> tuple[dict[str, Any], float, str]:
    r"""Widen the bracket of a solver run on HVPs in a dtype other than float64 (module doc).

    eps_y = ||fl(H y) - H y|| is measured with one float64 HVP at the returned vector y
    (``FlatProblem.hvp_float64``; the float64 product's own error is ~u64/u smaller and is
    absorbed by the factor 2 below), else estimated as APRIORI_ROUNDING_ULPS u ||fl(H y)||.
    The per-product allowance is eps = 2 max(eps_y, u ||fl(H y)||) (the input vector is rounded
    to the dtype, an error ~ u ||H||; the factor 2 covers the other Lanczos vectors, at which the
    error is not measured -- at random vectors it was 5-20x smaller than at y).
    * lanczos: lower -= eps_y (||H y|| >= ||fl(H y)|| - eps_y, exact if eps_y is); the m products
      satisfy H Q = Q T + f e_m^T + E with ||E||_2 <= sqrt(m) eps, so T is the exact Lanczos matrix
      of H + dH, dH = -(E Q^T + Q E^T) + Q (Q^T E) Q^T, ||dH|| <= 3 sqrt(m) eps; the certificate
      holds for H + dH, hence upper += 3 sqrt(m) eps.
    * dense: the n columns are HVPs, ||dH||_2 <= ||dH||_F <= sqrt(n) eps (Weyl): both ends move by it.
    * power: lower -= eps; upper += 3 sqrt(k) eps (an allowance by analogy, not proved).
    * eigsh: lower -= eps_y.
    * lanczos with ``reorth="none"`` (the run returns ``nonorth``, its certificate's inputs): the upper bound is
      recomputed with the recurrence residual ||F_m|| + sqrt(m) eps (the products' errors are part of F_m in the
      non-orthogonal lemma), no additive widening.
    ``converged`` is re-evaluated on the widened bracket (``stop``-rule as before) and is False
    whenever tol < TOL_FLOOR_ULPS u.
    """
    u = torch.finfo(problem.dtype).eps / 2.0
    k = int(out.get("scale_exp", 0))
    y = out["vector"]
    hv = out["hv"]  # fl(H y) in float64, in units of 2**k
    hv_norm = safe_norm(hv)
    h64 = problem.hvp_float64(y)
    name = str(problem.dtype).replace("torch.", "")
    if h64 is not None:
        eps_y = safe_norm(hv - _times_pow2(h64.reshape(-1), -k))
        eps = 2.0 * max(eps_y, u * hv_norm)
        out = dict(out, hvps=int(out["hvps"]) + 1)  # the float64 product is counted
        note = (f"HVPs in {name}: bracket widened for their rounding, measured with one float64 HVP "
                f"at the returned vector ({eps_y / max(hv_norm, 1e-300):.2g} relative)")
    else:
        eps_y = eps = APRIORI_ROUNDING_ULPS * u * hv_norm
        note = (f"HVPs in {name}: bracket widened by an a-priori rounding estimate "
                f"{APRIORI_ROUNDING_ULPS} u ||H y|| (loss_fn does not run in float64), not a bound")
    steps = max(int(out.get("steps", 1)), 1)
    nonorth = out.get("nonorth") if method == "lanczos" else None
    if nonorth is not None:
        # reorth="none": the products' errors E_j q_j (each <= eps) are part of the recurrence residual F_m of the
        # non-orthogonal lemma (certificate.py), so the certificate is recomputed with ||F|| + sqrt(m) eps, instead
        # of the orthonormal-basis widening 3 sqrt(m) eps (which needs Q orthonormal)
        kw = dict(log_c=nonorth["log_c"], allowance=nonorth["allowance"], basis_norm2=nonorth["basis_norm2"])
        upper_u = lanczos_upper_bound(nonorth["theta"], nonorth["weights"],
                                      recurrence_error=nonorth["recurrence_error"] + math.sqrt(steps) * eps, **kw)
        if nonorth["breakdown_error"] is not None:  # the run broke down: its breakdown form holds as well
            upper_u = min(upper_u, lanczos_upper_bound(
                nonorth["theta"], nonorth["weights"], breakdown=True,
                recurrence_error=nonorth["breakdown_error"] + math.sqrt(steps) * eps, **kw))
        out = dict(out, upper=max(scale_back(upper_u, k), float(out["lower"])))
        cut, widen = eps_y, 0.0
    elif method == "lanczos":
        cut, widen = eps_y, 3.0 * math.sqrt(steps) * eps
    elif method == "dense":
        cut = widen = math.sqrt(problem.n) * eps
    elif method == "power":
        cut, widen = eps, 3.0 * math.sqrt(steps) * eps
    else:  # eigsh
        cut, widen = eps_y, 0.0
    cut_o, widen_o = scale_back(cut, k), scale_back(widen, k)
    out = dict(out)
    lower = max(float(out["lower"]) - cut_o, 0.0)
    upper = float(out["upper"]) + widen_o
    out.update(lower=lower, upper=upper, value=min(max(float(out["value"]), lower), upper))
    ok = bool(out["converged"]) and tol >= TOL_FLOOR_ULPS * u and math.isfinite(upper)
    if method in ("lanczos", "dense") and not (method == "lanczos" and stop == "residual"):
        ok = ok and upper - lower <= tol * lower
    elif method == "lanczos":
        ok = ok and float(out["residual"]) <= tol * lower
    out["converged"] = ok
    return out, scale_back(max(cut, widen), k), note


def hessian_spectral_norm(loss_fn: Callable[[Any], torch.Tensor], params: Any, *, method: str = "auto",
                          tol: float = 1e-6, max_hvps: int | None = None, v0: Any = None,
                          generator: torch.Generator | None = None, delta: float = 1e-3,
                          stop: str = "auto", memory_budget: int | None = None,
                          basis_dtype: torch.dtype = torch.float64,
                          threads: int | None = None, reorth: str = "full") -> SpectralNormResult:
    r"""||∇²f(w)||_2 (largest |eigenvalue|, Definition 3.1 v2) of ``f = loss_fn`` at ``params``.

    Parameters
    ----------
    loss_fn: ``loss_fn(params) -> 0-dim real tensor``, the loss exactly as you define it (its
        normalisation, mean or sum, is yours; the Hessian is of that function).
    params: a tensor or a dict of tensors (one dtype and device); HVPs run in that dtype on
        that device (pass float64 for verification). The Lanczos vectors are float64 unless
        ``basis_dtype=torch.float32``. For
        float32 (or lower) the bracket is widened for the HVPs' rounding (field ``rounding``,
        ``note``; measured with one extra float64 HVP when ``loss_fn`` runs on float64 params,
        else an a-priori estimate), and ``converged`` needs tol >= 100 u (6e-6 for float32).
    method: ``"auto" | "dense" | "lanczos" | "power" | "eigsh"`` (module docstring).
    tol: relative bracket width to reach, (upper - lower) <= tol * lower (power: relative change).
    max_hvps: HVP budget (default 100 for Lanczos, 400 eigsh, 1000 power); when exhausted the
        result has ``converged=False`` and the bracket reached. With HVPs in a dtype other than float64, one
        float64 product beyond it measures their rounding (``hvps`` counts it; ``note`` says so).
    v0: warm start, a vector shaped like ``params`` or a previous :class:`SpectralNormResult`.
    generator: ``torch.Generator`` for the random start (reproducibility).
    delta: failure probability of the probabilistic upper bound (Lanczos / power).
    stop: Lanczos stopping rule, ``"bracket"`` (certified relative width <= tol) or
        ``"residual"`` (Ritz residual <= tol |theta|; cheaper, profits from warm starts, the
        reported upper bound is then wider than tol). ``converged`` refers to the rule used,
        which the result's field ``stop`` names. Default ``"auto"``: ``"bracket"`` for
        n <= AUTO_BRACKET_MAX (20,000), ``"residual"`` above (see AUTO_BRACKET_MAX for the figures).
    memory_budget: bytes the Lanczos basis (k_max * n * 8 for float64) may take. With ``reorth="full"``:
        ``ValueError`` when an explicit ``max_hvps`` does not fit, the default budget is lowered to fit. With
        ``reorth="none"`` the basis is optional: as many rows as fit are stored, or, when that allows fewer
        Lanczos steps than max_hvps // 2, none (three vectors, 24 n bytes) and the Ritz vector is rebuilt by a
        second pass of the recurrence (m - 1 more HVPs, within max_hvps; the result's ``note`` says so). With
        the default max_hvps, a budget that holds fewer rows than the default's 99 steps (but three vectors)
        doubles it (198): the run keeps no basis and gets those 99 steps, so more memory never buys fewer steps.
        A budget that holds neither the basis nor three float64 vectors is a ``ValueError``.
    basis_dtype: ``torch.float64`` (default) or ``torch.float32`` (half the memory; the certificate's
        rounding allowance then uses the float32 unit round-off).
    threads: torch threads for the solve (restored afterwards); default: 1 for n <= ONE_THREAD_MAX,
        else unchanged.
    reorth: ``"full"`` (default; orthonormal basis, blocked CGS2) or ``"none"`` (three-term recurrence only:
        one HVP + O(n) work per step, for training-scale n; the certificate uses the non-orthogonal form
        of its lemma, about log(m) wider exponent, so at equal HVPs the bracket is wider — see
        :mod:`~warmup_theory.numerics.curvature.certificate` and benchmarks/RESULTS.md). With float32/bfloat16
        HVPs their rounding enters that certificate (it may certify no upper end): prefer ``"full"`` there.

    Raises ``ValueError`` for a non-scalar or non-finite loss, a loss detached from ``params`` or one
    whose two evaluations differ (dropout, training mode), a non-finite HVP, bad ``tol``/``delta``/
    ``max_hvps``/``method``; ``TypeError`` for complex or integer params, or a non-tensor loss.

    Example: an indefinite quadratic 1/2 w^T A w with eigenvalues {2, -7, 1}.

    >>> import torch
    >>> A = torch.diag(torch.tensor([2.0, -7.0, 1.0], dtype=torch.float64))
    >>> f = lambda w: 0.5 * w @ A @ w
    >>> r = hessian_spectral_norm(f, torch.zeros(3, dtype=torch.float64), method="lanczos",
    ...                           generator=torch.Generator().manual_seed(0))
    >>> round(r.value, 12), round(r.eigenvalue, 12), r.lower <= 7.0 <= r.upper, r.certificate
    (7.0, -7.0, True, 'deterministic')
    """
    problem = FlatProblem.from_loss(loss_fn, params)
    return solve_problem(problem, method=method, tol=tol, max_hvps=max_hvps, v0=v0,
                         generator=generator, delta=delta, stop=stop, memory_budget=memory_budget,
                         basis_dtype=basis_dtype, threads=threads, reorth=reorth)
