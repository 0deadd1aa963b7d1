r"""``CurvatureTracker``: ||∇²f|| bracket and local-smoothness estimators along any training loop.

Every ``every`` steps it records: step, loss f(w_t), the bracket [lower, upper] on ||∇²f(w_t)||_2
(Lanczos warm-started from the previous top eigenvector, probabilistic upper bound with
failure probability ``delta``), the HVPs used, and the estimators of
:mod:`warmup_theory.numerics.curvature.estimators` at step t (d = w_t - w_{t-1}):

* ``consecutive_secant`` = ||∇f_{S_t}(w_t) - ∇f_{S_{t-1}}(w_{t-1})|| / ||d|| (Section 3.2, v2),
* ``same_batch_secant``  = ||∇f_{S_t}(w_t) - ∇f_{S_t}(w_{t-1})|| / ||d||,
* ``directional``        = d^T ∇²f(w_t) d / ||d||^2 (full loss f).

Call it once per step, *before* the optimizer update, with the current parameters, the full
loss f and the loss of the mini-batch S_t of this step. Steps that neither record nor precede a
recording cost nothing; the step before a recording stores w_{t-1} and one batch gradient.
Rows are appended to ``path`` (CSV) as they are recorded.

Example (plain tensors; with an nn.Module use :meth:`CurvatureTracker.step_model`):

>>> import torch
>>> g = torch.Generator().manual_seed(0)
>>> X, y = torch.randn(64, 5, generator=g, dtype=torch.float64), torch.randn(64, generator=g, dtype=torch.float64)
>>> full = lambda w: ((X @ w - y) ** 2).mean()
>>> tracker = CurvatureTracker(every=5)
>>> w = torch.zeros(5, dtype=torch.float64)
>>> for t in range(11):
...     idx = torch.arange(8 * (t % 8), 8 * (t % 8) + 8)
...     batch = lambda v, idx=idx: ((X[idx] @ v - y[idx]) ** 2).mean()
...     _ = tracker.step(w, full, batch)                  # the one line
...     w = w - 0.05 * torch.func.grad(batch)(w)
>>> [r.step for r in tracker.records]
[0, 5, 10]
>>> exact = torch.linalg.eigvalsh(2 * X.T @ X / 64).max().item()
>>> all(r.lower <= exact * (1 + 1e-12) and exact <= r.upper * (1 + 1e-12) for r in tracker.records)
True
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import torch

from warmup_theory.numerics.curvature.certificate import WARM_NOISE, check_warm_noise
from warmup_theory.numerics.curvature.hvp import FlatProblem
from warmup_theory.numerics.curvature.lanczos import REORTH, LanczosWorkspace
from warmup_theory.numerics.curvature.model import model_problem
from warmup_theory.numerics.curvature.result import SpectralNormResult
from warmup_theory.numerics.curvature.spectral_norm import solve_problem

__all__ = ["CurvatureTracker", "TrackerRecord"]


@dataclass(frozen=True)
class TrackerRecord:
    """One row of the tracker (estimators are NaN at the first step: no previous iterate)."""

    step: int
    loss: float
    hessian_norm: float
    lower: float
    upper: float
    hvps: int
    converged: bool
    certificate: str
    consecutive_secant: float | None  # None: no previous step recorded (first record) or no batch loss
    same_batch_secant: float | None
    directional: float | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return asdict(self)


FIELDS = list(TrackerRecord.__dataclass_fields__)


class CurvatureTracker:
    """Records curvature every ``every`` steps of a training loop (see the module docstring).

    Parameters: ``path`` (CSV file, optional), ``every`` (>= 1), ``method`` (solver, default
    ``"lanczos"``), ``tol``, ``max_hvps``, ``delta``, ``stop`` as in
    :func:`~warmup_theory.numerics.curvature.hessian_spectral_norm` (``stop="residual"`` profits from the warm
    start; ``"bracket"`` does not, see benchmarks/RESULTS.md), ``seed`` for the random
    starts, ``warm_noise`` and ``reorth`` (Lanczos; ``reorth="none"`` drops the Gram-Schmidt pass, with a
    wider certified bracket; at ~9 warm-started products per measurement it saved no measurable time on the
    203,530-parameter benchmark, benchmarks/RESULTS.md). The tracker keeps one
    :class:`~warmup_theory.numerics.curvature.lanczos.LanczosWorkspace` (the basis memory, k_max n 8 bytes)
    between measurements. ``recheck_every`` (default 10): the cross-check of each point's first HVP
    against forward-over-reverse (:mod:`~warmup_theory.numerics.curvature.hvp`) is made at every
    ``recheck_every``-th measurement only; in between the modes and passed checks carry over
    (``FlatProblem.adopt_checks``): one forward-over-reverse product fewer per measurement (its effect on
    the tracking benchmark's wall time was within that run's noise).

    Warm start. Measurement i > 0 starts Lanczos from v = v_w + eps g, normalised, where v_w is the
    previous measurement's unit Ritz vector, g ~ N(0, I_n) is drawn fresh from the tracker's
    generator and eps = warm_noise / sqrt(n) (default warm_noise = 0.1: the random part has norm
    ~0.1, the start keeps ~99.5 % of its overlap with v_w). Effect on the certificate: v_w is fixed
    before g is drawn, so ``upper`` still holds with probability >= 1 - delta at every measurement
    (for each measurement separately; a union bound gives >= 1 - N delta for all N of them), but the
    overlap bound c is smaller by the factor warm_noise than for a cold start: ln(1/warm_noise)
    (2.3 for 0.1) is added to the exponent of the bound, so the certified width at equal HVPs is
    somewhat wider than a cold start's. ``lower`` (||H y||) is deterministic either way. With
    ``stop="residual"`` a warm start stops after a few products when the top eigenvector moved little.
    Measured (benchmarks/RESULTS.md, issue 11; ``python benchmarks/curvature.py --tracking``): SGD on a
    203,530-parameter MLP, 1,000 steps, every=10, ``stop="residual", tol=2e-3``: 9.43 HVPs per
    measurement on average (42 for the cold first one, median 7), value within 3.8e-5 of a cold Lanczos
    run to residual 1e-8 at 10 sampled measurements; with tol=1e-3, 10.70 HVPs and 7.9e-6; with
    tol=1e-2 (200 steps) one measurement followed the previous eigenvector's branch and was 4 % low,
    so keep tol <= 2e-3 there. The certified widths of these cheap runs are wide (median ~3): the
    value is accurate, the upper bound is honest but loose.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, every: int = 10,
                 method: str = "lanczos", tol: float = 1e-6, max_hvps: int | None = None,
                 delta: float = 1e-3, stop: str = "bracket", seed: int = 0,
                 warm_noise: float = WARM_NOISE, reorth: str = "full", recheck_every: int = 10) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer in [1, inf), got {every!r}")
        if isinstance(recheck_every, bool) or not isinstance(recheck_every, int) or recheck_every < 1:
            raise ValueError(f"recheck_every must be an integer in [1, inf), got {recheck_every!r}")
        if reorth not in REORTH:
            raise ValueError(f"reorth must be one of {REORTH}, got {reorth!r}")
        self.recheck_every = recheck_every
        self._checks: Any = None  # FlatProblem.checks() of the last measurement
        self.path = None if path is None else os.fspath(path)
        self.every = every
        # warm_noise reaches every run: solve_problem uses it whenever the method is (or resolves to) Lanczos
        self.options: dict[str, Any] = dict(method=method, tol=tol, max_hvps=max_hvps, delta=delta, stop=stop,
                                            warm_noise=check_warm_noise(warm_noise), reorth=reorth,
                                            workspace=LanczosWorkspace())  # basis memory kept between measurements
        self.generator = torch.Generator().manual_seed(seed)
        self.records: list[TrackerRecord] = []
        self._t = 0
        self._prev: tuple[torch.Tensor, torch.Tensor | None] | None = None
        self._last: SpectralNormResult | None = None
        if self.path is not None:
            with open(self.path, "w", newline="") as fh:
                csv.writer(fh).writerow(FIELDS)

    def step(self, params: Any, loss_fn: Callable[[Any], torch.Tensor],
             batch_loss_fn: Callable[[Any], torch.Tensor] | None = None) -> TrackerRecord | None:
        """One training step t with parameters w_t (tensor or dict), full loss ``loss_fn`` and the
        loss of this step's mini-batch ``batch_loss_fn`` (optional: without it the secants are None).
        Returns the record when this step records, else None."""
        params = {k: v.detach() for k, v in params.items()} if isinstance(params, dict) else params.detach()
        full = FlatProblem.from_loss(loss_fn, params)
        batch = None if batch_loss_fn is None else FlatProblem.from_loss(batch_loss_fn, params)
        return self._step(full, batch)

    def step_model(self, model: torch.nn.Module, loss: Callable[[Any, Any], torch.Tensor],
                   batches: Iterable[Any], batch: Any = None, *, reduction: str = "mean",
                   dtype: torch.dtype = torch.float64,
                   device: str | torch.device | None = None) -> TrackerRecord | None:
        """Same for an ``nn.Module``: f is the full-dataset loss over ``batches`` (as in
        :func:`~warmup_theory.numerics.curvature.model_hessian_norm`), ``batch`` = (inputs, targets) of this step."""
        records_now = self._t % self.every == 0 or (self._t + 1) % self.every == 0
        if not records_now:  # nothing to do: avoid building the problems
            self._t += 1
            return None
        full = model_problem(model, loss, batches, reduction=reduction, dtype=dtype, device=device)
        mb = None if batch is None else model_problem(model, loss, [batch], reduction=reduction,
                                                      dtype=dtype, device=device)
        return self._step(full, mb)

    def _step(self, full: FlatProblem, batch: FlatProblem | None) -> TrackerRecord | None:
        t = self._t
        self._t += 1
        record = None
        if t % self.every == 0:
            if self._checks is not None and len(self.records) % self.recheck_every != 0:
                full.adopt_checks(self._checks)  # skip the first product's cross-check (FlatProblem.adopt_checks)
            loss = full.loss()
            res = solve_problem(full, v0=self._last, generator=self.generator, **self.options)
            self._last = res
            self._checks = full.checks()
            cons = same = direc = None
            if self._prev is not None:
                w_prev, g_prev = self._prev
                d = full.w - w_prev
                nd = float(torch.linalg.vector_norm(d))
                if nd > 0:
                    direc = float(d @ full.hvp(d)) / nd ** 2
                    if batch is not None and g_prev is not None:
                        g_now = batch.gradient()
                        cons = float(torch.linalg.vector_norm(g_now - g_prev)) / nd
                        same = float(torch.linalg.vector_norm(g_now - batch.gradient(w_prev))) / nd
            record = TrackerRecord(step=t, loss=loss, hessian_norm=res.value, lower=res.lower,
                                   upper=res.upper, hvps=res.hvps, converged=res.converged,
                                   certificate=res.certificate, consecutive_secant=cons,
                                   same_batch_secant=same, directional=direc, seconds=res.seconds)
            self.records.append(record)
            if self.path is not None:
                with open(self.path, "a", newline="") as fh:
                    csv.writer(fh).writerow(_csv_row(record))
        self._prev = None
        if (t + 1) % self.every == 0:
            self._prev = (full.w.clone(), None if batch is None else batch.gradient())
        return record

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        """Write all records to ``path`` (header + one row per record)."""
        with open(path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(FIELDS)
            for r in self.records:
                writer.writerow(_csv_row(r))


def _csv_row(record: TrackerRecord) -> list[Any]:
    """A record as CSV cells; a missing estimator (None) is an empty cell."""
    return ["" if getattr(record, k) is None else getattr(record, k) for k in FIELDS]
