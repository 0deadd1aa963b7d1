"""``run_study``: every schedule × peak lr × seed trained on one task, batched per peak lr.

For each peak lr the runs of every schedule and seed are one :class:`BatchedRuns` program; each run's lr comes
from its own scheduler (:mod:`~warmup_theory.numerics.schedulers`) on a stand-in optimizer, fed that run's
mini-batch loss after every step (the standard torch order). A run **diverges** when its loss is non-finite
or its smoothed loss (EMA, β = 0.9) exceeds 1.5× its first loss; it is then frozen and reported as diverged.
The loss-adaptive warm-up's ``C`` from theory, ``C = 2·H1/H0``, uses the (H0, H1) envelope of the certified
Hessian norm of a short :func:`~warmup_theory.numerics.probe.probe` run (AdamW/SGD at the grid's geometric
middle peak lr, constant, f* = 0); when the envelope has H0 = 0 or H1 = 0 the least-squares line (the paper's
fit, not a bound) is used if both its coefficients are positive, else the fitted C is reported as unusable
and that schedule is not run. Which one was used is stored in ``fit["reason"]``.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from warmup_theory.numerics.device import resolve_device
from warmup_theory.numerics.schedule_study.batched import BatchedRuns
from warmup_theory.numerics.schedule_study.specs import ScheduleSpec
from warmup_theory.numerics.schedule_study.tasks import StudyTask, load_study_task

__all__ = ["StudyRuns", "StudySettings", "external_reference", "fit_C", "run_grid"]

DIVERGE_FACTOR = 1.5
EMA = 0.9


@dataclass(frozen=True)
class StudySettings:
    """Everything a study depends on (stored in its outputs)."""

    task: str = "lm"
    model: str = "tiny"
    optimizer: str = "adamw"
    peak_lrs: tuple[float, ...] = (1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1)
    seeds: int = 3
    steps: int = 300
    batch: int = 8
    context: int = 64
    decay: str | None = "wsd"
    decay_fraction: float = 0.2
    final_lr_ratio: float = 0.01
    linear_fractions: tuple[float, ...] = (0.05, 0.1, 0.25)
    C_grid: tuple[float, ...] = (0.2, 1.0, 5.0)
    fit_C: bool = True
    fit_steps: int = 100
    fit_every: int = 20
    betas: tuple[float, float] = (0.9, 0.95)
    weight_decay: float = 0.01
    clip: float | None = 1.0
    device: str = "cpu"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @property
    def linear_steps(self) -> tuple[int, ...]:
        """Warm-up lengths of the linear grid: ``max(1, round(fraction·steps))``, distinct."""
        return tuple(dict.fromkeys(max(1, round(f * self.steps)) for f in self.linear_fractions))


@dataclass
class StudyRuns:
    """Per-run curves and outcomes: run ``r`` is ``specs[r]`` at ``peaks[r]`` with ``seeds[r]``."""

    specs: list[ScheduleSpec]
    peaks: list[float]
    seeds: list[int]
    lr: np.ndarray  # (runs, steps): the lr each step used
    loss: np.ndarray  # (runs, steps): mini-batch loss before each step (NaN after divergence)
    smoothed: np.ndarray  # (runs, steps): its EMA
    val_loss: np.ndarray  # (runs,): NaN for diverged runs
    diverged_at: list[int | None]
    seconds: float
    fit: dict[str, Any] = field(default_factory=dict)


def fit_C(settings: StudySettings, device: torch.device) -> dict[str, Any]:
    """Probe the task's model (seed 0) and return ``{"C", "H0", "H1", "reason", …}`` (module docstring)."""
    from warmup_theory.numerics.probe.loop import probe
    from warmup_theory.numerics.probe.tasks import build_task

    spec = build_task(settings.task, settings.model, batch=settings.batch, context=settings.context,
                      probe_batch=4 if settings.task == "lm" else 256, seed=0, device=device)
    lr = math.exp(np.mean(np.log(settings.peak_lrs)))
    opt: torch.optim.Optimizer = (
        torch.optim.AdamW(spec.model.parameters(), lr=lr, betas=settings.betas, weight_decay=settings.weight_decay)
        if settings.optimizer == "adamw" else torch.optim.SGD(spec.model.parameters(), lr=lr))
    t0 = time.perf_counter()
    res = probe(spec.model, spec.loss_fn, spec.batch_at, spec.probe_batch, opt, steps=settings.fit_steps,
                every=settings.fit_every, clip=settings.clip, f_star=0.0, tol=1e-3, seed=0, progress=False)
    out: dict[str, Any] = {"probe_lr": lr, "probe_steps": settings.fit_steps, "records": len(res.records),
                           "status": res.status, "seconds": time.perf_counter() - t0}
    if len(res.records) < 2:
        return dict(out, C=None, H0=None, H1=None, reason=f"probe run {res.status} with {len(res.records)} records")
    fitted = res.fit(0.0).fits["hessian_norm"]
    cands = (("envelope of the certified Hessian norm", fitted.envelope_H0, fitted.envelope_H1),
             ("least-squares line of the certified Hessian norm", fitted.ls_H0, fitted.ls_H1))
    out["candidates"] = {name: [H0, H1] for name, H0, H1 in cands}
    for name, H0, H1 in cands:
        if H0 > 0 and H1 > 0 and math.isfinite(2 * H1 / H0):
            return dict(out, C=2 * H1 / H0, H0=H0, H1=H1, reason=f"{name}, f* = 0")
    text = "; ".join(f"{n.split(' of ')[0]} ({a:.3g}, {b:.3g})" for n, a, b in cands)
    return dict(out, C=None, H0=None, H1=None, reason=f"no fit with H0 > 0 and H1 > 0: {text}")


def _grid(settings: StudySettings, C_fit: float | None) -> list[ScheduleSpec]:
    specs = [ScheduleSpec("none")] + [ScheduleSpec("linear", float(w)) for w in settings.linear_steps]
    if settings.optimizer == "adamw":
        specs.append(ScheduleSpec("untuned"))
    specs += [ScheduleSpec("adaptive", c) for c in settings.C_grid]
    if C_fit is not None:
        specs.append(ScheduleSpec("adaptive-fit", C_fit))
    return specs


def run_grid(settings: StudySettings, *, task: StudyTask | None = None, progress: Any = None,
             fit: dict[str, Any] | None = None) -> StudyRuns:
    """Train every schedule × peak lr × seed (module docstring); ``progress(n)`` is called per step;
    ``fit`` (default: :func:`fit_C` when ``settings.fit_C``) supplies the fitted C."""
    device = resolve_device(settings.device)
    task = task or load_study_task(settings.task, settings.model, batch=settings.batch, context=settings.context)
    if fit is None:
        fit = fit_C(settings, device) if settings.fit_C else {"C": None, "reason": "switched off"}
    specs = _grid(settings, fit.get("C"))
    t0 = time.perf_counter()
    all_specs, all_peaks, all_seeds, parts = [], [], [], []
    diverged: list[int | None] = []
    for peak in settings.peak_lrs:
        runs = [(s, seed) for s in specs for seed in range(settings.seeds)]
        seeds = [seed for _, seed in runs]
        batched = BatchedRuns([task.build(seed).to(device) for seed in seeds], task.loss_fn,
                              optimizer=settings.optimizer, betas=settings.betas,
                              weight_decay=settings.weight_decay, clip=settings.clip)
        stand_ins = [torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=peak, betas=settings.betas)
                     for _ in runs]
        scheds = [s.build(o, decay=settings.decay, total_steps=settings.steps, decay_fraction=settings.decay_fraction,
                          final_lr=peak * settings.final_lr_ratio) for (s, _), o in zip(runs, stand_ins, strict=True)]
        n = len(runs)
        lr, loss, ema = (np.full((n, settings.steps), np.nan) for _ in range(3))
        first = np.full(n, np.nan)
        dv: list[int | None] = [None] * n
        for t in range(settings.steps):
            lr[:, t] = [float(sc.get_last_lr()[0]) for sc in scheds]
            x, y = task.batches(seeds, t, device)
            losses = batched.step(x, y, torch.as_tensor(lr[:, t], device=device)).cpu().numpy().astype(np.float64)
            for r in range(n):
                if dv[r] is not None:
                    continue
                v = losses[r]
                prev = ema[r, t - 1] if t else v
                ema[r, t] = EMA * prev + (1 - EMA) * v if t else v
                first[r] = v if t == 0 else first[r]
                loss[r, t] = v
                if not math.isfinite(v) or ema[r, t] > DIVERGE_FACTOR * first[r]:
                    dv[r] = t
                    batched.alive[r] = False
                    continue
                sc = scheds[r]
                sc.step(v) if sc.takes_loss else sc.step()
            if progress is not None:
                progress(1)
        val = batched.evaluate(*(v.to(device) for v in task.val), chunk=16).cpu().numpy().astype(np.float64)
        val[[d is not None for d in dv]] = np.nan
        all_specs += [s for s, _ in runs]
        all_peaks += [peak] * n
        all_seeds += seeds
        diverged += dv
        parts.append((lr, loss, ema, val))
    lr_all, loss_all, ema_all = (np.concatenate([p[i] for p in parts]) for i in range(3))
    val_all = np.concatenate([p[3] for p in parts])
    return StudyRuns(all_specs, all_peaks, all_seeds, lr_all, loss_all, ema_all, val_all, diverged,
                     time.perf_counter() - t0, dict(fit))


def external_reference(settings: StudySettings) -> dict[str, Any]:
    """Where ``pytorch-warmup`` is installed: its ``LinearWarmup`` (each length of the grid) and
    ``UntunedLinearWarmup`` factors over the run beside the toolkit's, and the largest difference.

    The toolkit's untuned length is ``round(2/(1 − β2))``; pytorch-warmup truncates the float, which for β2 = 0.95
    gives 39 instead of 40 steps — reported, not hidden.
    """
    try:
        import pytorch_warmup
    except ImportError:
        return {"installed": False}
    from warmup_theory.numerics.schedulers import LinearWarmup, UntunedLinearWarmup

    def factors(make_ref: Any, make_mine: Any) -> float:
        ref_opt = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=1.0, betas=settings.betas)
        mine_opt = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=1.0, betas=settings.betas)
        ref, mine, worst = make_ref(ref_opt), make_mine(mine_opt), 0.0
        for _ in range(settings.steps):
            worst = max(worst, abs(ref_opt.param_groups[0]["lr"] - mine_opt.param_groups[0]["lr"]))
            with ref.dampening():
                pass
            mine.step()
        return worst

    out: dict[str, Any] = {"installed": True, "version": getattr(pytorch_warmup, "__version__", "?"), "linear": {}}
    for w in settings.linear_steps:
        out["linear"][str(w)] = factors(lambda o, w=w: pytorch_warmup.LinearWarmup(o, warmup_period=w),
                                        lambda o, w=w: LinearWarmup(o, w))
    if settings.optimizer == "adamw":
        out["untuned"] = factors(pytorch_warmup.UntunedLinearWarmup, UntunedLinearWarmup)
        out["untuned_steps"] = {"toolkit": UntunedLinearWarmup(torch.optim.AdamW(
            [torch.zeros(1, requires_grad=True)], betas=settings.betas)).warmup_steps,
            "pytorch_warmup": int(2.0 / (1.0 - settings.betas[1]))}
    return out
