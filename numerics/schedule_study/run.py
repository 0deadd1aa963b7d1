"""``run_study``: the defaults per task and optimizer, ``--quick``, and one call from settings to result.

Defaults (AdamW with β = (0.9, 0.95), weight decay 0.01, clipping at 1, as LM training commonly uses; with
β2 = 0.95 the untuned rule warms up over 40 steps): ``lm`` — ``tiny`` LM (115,008 parameters), 300 steps of
8 × 64 bytes, warmup-stable-decay (last 20 % linear to 1 % of the peak, the paper's LM setting), peak lrs
1e-3 … 3e-1 (no warm-up diverges at 3e-1);
``digits`` — the MLP, 300 steps of 64 images, cosine decay to 1 % of the peak. ``--quick``:
100 steps, 2 seeds, 3 peak lrs, 2 warm-up lengths and 2 C values. Batches of 8 × 64 bytes are where the
vmap-batched runs beat a loop over runs on 2 CPU cores (``benchmarks/schedules.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from warmup_theory.numerics.schedule_study.result import StudyResult
from warmup_theory.numerics.schedule_study.study import StudySettings, external_reference, run_grid
from warmup_theory.numerics.schedule_study.tasks import load_study_task

__all__ = ["default_settings", "run_study"]

_PEAKS = {("lm", "adamw"): (1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1),
          ("digits", "adamw"): (1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1),
          ("lm", "sgd"): (0.03, 0.1, 0.3, 1.0, 3.0, 10.0), ("digits", "sgd"): (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)}
_TASK = {"lm": {"model": "tiny", "steps": 300, "batch": 8, "context": 64, "decay": "wsd"},
         "digits": {"model": "mlp", "steps": 300, "batch": 64, "context": 64, "decay": "cosine"}}


def default_settings(task: str = "lm", optimizer: str = "adamw", *, quick: bool = False,
                     **overrides: Any) -> StudySettings:
    """The default (or ``quick``) settings of ``task`` × ``optimizer`` with ``overrides`` applied."""
    if task not in _TASK:
        raise ValueError(f"task must be one of lm, digits, got {task!r}")
    if optimizer not in ("adamw", "sgd"):
        raise ValueError(f"optimizer must be one of adamw, sgd, got {optimizer!r}")
    peaks = _PEAKS[(task, optimizer)]
    base: dict[str, Any] = dict(_TASK[task], task=task, optimizer=optimizer, peak_lrs=peaks)
    if quick:
        base.update(steps=100, seeds=2, peak_lrs=(peaks[1], peaks[3], peaks[5]), linear_fractions=(0.05, 0.25),
                    C_grid=(0.2, 2.0), fit_steps=40, fit_every=10)
    base.update({k: v for k, v in overrides.items() if v is not None})
    s = StudySettings(**base)
    _check(s)
    return s


def _check(s: StudySettings) -> None:
    for name in ("seeds", "steps", "batch", "context", "fit_steps", "fit_every"):
        v = getattr(s, name)
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    if not s.peak_lrs or any(not (0 < p < float("inf")) for p in s.peak_lrs):
        raise ValueError(f"peak_lrs must be finite numbers > 0, got {s.peak_lrs!r}")
    if not s.C_grid or any(not (0 <= c < float("inf")) for c in s.C_grid):
        raise ValueError(f"C_grid must be finite numbers >= 0, got {s.C_grid!r}")
    if not s.linear_fractions or any(not (0 < f <= 1) for f in s.linear_fractions):
        raise ValueError(f"linear_fractions must be in (0, 1], got {s.linear_fractions!r}")
    if s.decay not in (None, "cosine", "linear", "wsd"):
        raise ValueError(f"decay must be one of none, cosine, linear, wsd, got {s.decay!r}")


def run_study(settings: StudySettings | None = None, *, progress: Callable[[int], Any] | None = None,
              **overrides: Any) -> StudyResult:
    """Run a schedule study: ``settings`` (default :func:`default_settings` with ``overrides``) → result.

    >>> res = run_study(task="digits", steps=3, seeds=1, peak_lrs=(1e-2,), fit_C=False)  # doctest: +SKIP
    >>> [row["schedule"] for row in res.summary_rows()][:2]  # doctest: +SKIP
    ['none', 'linear W=1']
    """
    if settings is None:
        settings = default_settings(overrides.pop("task", "lm"), overrides.pop("optimizer", "adamw"), **overrides)
    elif overrides:
        settings = dataclasses.replace(settings, **overrides)
    _check(settings)
    task = load_study_task(settings.task, settings.model, batch=settings.batch, context=settings.context)
    runs = run_grid(settings, task=task, progress=progress)
    return StudyResult(settings, runs, task.fingerprint, external_reference(settings))
