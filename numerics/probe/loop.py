"""``probe``: train a model and record curvature against the loss every ``every`` steps.

At each recording step t (before the optimizer update) the probe measures, on a FIXED probe batch P
(mean loss f_P): the probe loss, the certified bracket on ‖∇²f_P(w_t)‖₂ (Lanczos warm-started from
the previous record's eigenvector, float64 copies of the weights), and the secant estimators with the
training mini-batches S_{t−1}, S_t (see :mod:`warmup_theory.numerics.probe.result`).  The measuring is
done by :class:`warmup_theory.numerics.curvature.CurvatureTracker` (the same tracker a user can call
from their own loop); this module adds the training loop around it: gradient clipping, an optional
lr scheduler, divergence detection (a non-finite training loss or gradient stops the run with status
``"diverged"`` and its step: nothing after it is recorded, so no NaN reaches a fit), and a progress bar.

>>> import torch
>>> g = torch.Generator().manual_seed(0)
>>> X, y = torch.randn(256, 4, generator=g), torch.randint(0, 3, (256,), generator=g)
>>> model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
>>> batches = lambda t: (X[(32 * t) % 256:(32 * t) % 256 + 32], y[(32 * t) % 256:(32 * t) % 256 + 32])
>>> res = probe(model, torch.nn.functional.cross_entropy, batches, (X[:64], y[:64]),
...             torch.optim.SGD(model.parameters(), lr=0.5), steps=30, every=10)
>>> res.status, [r.step for r in res.records]
('completed', [0, 10, 20])
>>> all(r.lower <= r.hessian_norm <= r.upper for r in res.records)
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch

from warmup_theory.numerics.curvature.tracker import CurvatureTracker
from warmup_theory.numerics.probe.result import ProbeRecord, ProbeResult

__all__ = ["probe"]

Batch = tuple[Any, torch.Tensor]


def _batch_source(train_batches: Iterable[Batch] | Callable[[int], Batch]) -> Callable[[int], Batch]:
    """Step → mini-batch, from a callable or an iterable (consumed once, one batch per step)."""
    if callable(train_batches):
        return train_batches
    it: Iterator[Batch] = iter(train_batches)

    def nxt(t: int) -> Batch:
        try:
            return next(it)
        except StopIteration:
            raise ValueError(f"train_batches ran out at step {t}: give at least `steps` batches "
                             "or a callable step -> batch") from None
    return nxt


def _inputs(x: Any) -> tuple[Any, ...]:
    return x if isinstance(x, tuple) else (x,)


def probe(model: torch.nn.Module, loss_fn: Callable[[Any, torch.Tensor], torch.Tensor],
          train_batches: Iterable[Batch] | Callable[[int], Batch], probe_batch: Batch,
          optimizer: torch.optim.Optimizer, *, steps: int, every: int = 10, clip: float | None = None,
          scheduler: Any = None, f_star: float = 0.0, tol: float = 1e-4, max_hvps: int | None = None,
          delta: float = 1e-3, seed: int = 0, progress: bool | None = None,
          settings: dict[str, Any] | None = None) -> ProbeResult:
    """Train ``model`` for ``steps`` steps and probe its curvature every ``every`` steps (module docstring).

    ``loss_fn(outputs, targets)`` is the MEAN loss of a batch; ``train_batches`` an iterable of
    ``(inputs, targets)`` or a callable ``step -> (inputs, targets)``; ``probe_batch`` the fixed batch
    the curvature is measured on; ``clip`` a max global gradient norm (None: no clipping);
    ``scheduler`` an lr scheduler stepped after each optimizer step (with the loss for this toolkit's
    loss-driven schedulers and ``ReduceLROnPlateau``, without it for the others); ``tol``, ``max_hvps``, ``delta``
    the Lanczos options (:func:`~warmup_theory.numerics.curvature.hessian_spectral_norm`), ``seed`` its
    random starts; ``progress`` a tqdm bar (None: only on a TTY); ``settings`` stored in the result.
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    for name, v in (("steps", steps), ("every", every)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    if clip is not None and not (math.isfinite(clip) and clip > 0):
        raise ValueError(f"clip must be a finite number > 0 or None, got {clip!r}")
    if not math.isfinite(f_star):
        raise ValueError(f"f_star must be finite, got {f_star!r}")
    batch_at = _batch_source(train_batches)
    tracker = CurvatureTracker(every=every, tol=tol, max_hvps=max_hvps, delta=delta, stop="residual", seed=seed)
    device = next(model.parameters()).device
    records: list[ProbeRecord] = []
    status, diverged_at, t0 = "completed", None, time.perf_counter()
    from tqdm.auto import tqdm

    bar = tqdm(total=steps, desc="probe", unit="step", leave=False,
               disable=(not _isatty()) if progress is None else not progress)
    last_loss = math.nan
    t = 0
    try:
        for t in range(steps):
            x, y = batch_at(t)
            model.train()
            rec = tracker.step_model(model, loss_fn, [probe_batch], (x, y), device=device)
            out = model(*_inputs(x))
            loss = loss_fn(out, y)
            last_loss = float(loss.detach())
            if rec is not None:
                lr = float(optimizer.param_groups[0]["lr"])
                records.append(ProbeRecord.from_tracker(rec, lr=lr, train_loss=last_loss))
                bar.set_postfix(loss=f"{last_loss:.3f}", sharp=f"{rec.hessian_norm:.3g}")
            if not math.isfinite(last_loss):
                status, diverged_at = "diverged", t
                break
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip if clip is not None else math.inf)
            if not math.isfinite(float(gnorm)):
                status, diverged_at = "diverged", t
                break
            optimizer.step()
            if scheduler is not None:
                _step_scheduler(scheduler, last_loss)
            bar.update(1)
    except ValueError as exc:  # the tracker refuses non-finite parameters / HVPs: the run diverged
        if "finite" not in str(exc) and "NaN" not in str(exc):
            raise
        status, diverged_at = "diverged", t
    finally:
        bar.close()
    if status == "diverged":  # the record at the divergence step may hold non-finite values: drop it
        records = [r for r in records if r.step < (diverged_at or 0) and math.isfinite(r.probe_loss)]
    return ProbeResult(tuple(records), status, diverged_at, t + 1 if status == "completed" else t,
                       dict(settings or {}), float(f_star), time.perf_counter() - t0)


def _step_scheduler(scheduler: Any, loss: float) -> None:
    """``step(loss)`` for schedulers that take the loss (``takes_loss``, ``ReduceLROnPlateau``), ``step()``
    for torch's epoch-counting ones (passing a loss there would be read as an epoch number)."""
    if getattr(scheduler, "takes_loss", False) or isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
        scheduler.step(loss)
    else:
        scheduler.step()


def _isatty() -> bool:
    import sys

    return sys.stderr.isatty()
