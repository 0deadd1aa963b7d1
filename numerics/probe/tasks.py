"""The offline tasks of ``warmup-theory probe``: a byte-level LM on the standard library's sources, the digits.

:func:`build_task` returns a :class:`ProbeTask` (model, mean loss, step → mini-batch, fixed probe batch,
data fingerprint); :func:`run_task` trains it with :func:`~warmup_theory.numerics.probe.probe` and returns the
:class:`~warmup_theory.numerics.probe.ProbeResult` with every setting (seeds, sizes, fingerprint) stored.

* ``lm``: :mod:`warmup_theory.numerics.models.lm` sizes ``tiny`` / ``small`` / ``medium``; training batches are
  random 128-byte windows of the train split (file-level split of
  :func:`~warmup_theory.numerics.data.load_stdlib_corpus`), the probe batch ``probe_batch`` windows drawn once
  from the train split with a key no training step uses; loss: mean next-byte cross-entropy (nats/byte).
* ``digits``: :mod:`warmup_theory.numerics.models.vision` ``mlp`` / ``resnet`` / ``vit``; epoch-shuffled
  training batches; the probe batch is ``probe_batch`` training images fixed by the seed; loss: mean
  cross-entropy.

One ``seed`` drives the model initialisation, the batch order, the probe batch and the Lanczos starts.
Both losses are non-negative, so the fits use f* = 0 (and report the run's own estimate beside it).

Default learning rates (SGD, constant, gradient clipping at 1 as in the paper's protocol; the paper's LR
1e-4 is tuned for 70M+ models and barely moves these): LM 0.3 — of {0.1, 0.3, 1, 3} on ``tiny`` for 200 steps
it reached the lowest training loss (2.59 vs 2.69 / 2.91 / 4.00 nats/byte), and 3 already oscillates;
digits 0.1. With ``--optimizer adam``: 1e-3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from warmup_theory.numerics.device import resolve_device
from warmup_theory.numerics.models.lm import LM_SIZES, build_lm, count_parameters, lm_loss
from warmup_theory.numerics.models.vision import VISION_MODELS, build_vision
from warmup_theory.numerics.probe.loop import probe
from warmup_theory.numerics.probe.result import ProbeResult

__all__ = ["DEFAULTS", "OPTIMIZERS", "QUICK", "TASKS", "ProbeTask", "build_task", "default_lr", "run_task"]

TASKS = ("lm", "digits")
OPTIMIZERS = ("sgd", "adam")
#: Default run per task (``warmup-theory probe --task T``).
DEFAULTS: dict[str, dict[str, Any]] = {
    "lm": {"model": "small", "steps": 300, "every": 25, "batch": 16, "probe_batch": 4},
    "digits": {"model": "mlp", "steps": 600, "every": 20, "batch": 64, "probe_batch": 256},
}
#: ``--quick``: the smallest model, 200 steps.
QUICK: dict[str, dict[str, Any]] = {
    "lm": {"model": "tiny", "steps": 200, "every": 20, "batch": 16, "probe_batch": 4},
    "digits": {"model": "mlp", "steps": 200, "every": 20, "batch": 64, "probe_batch": 256},
}
_LR = {("lm", "sgd"): 0.3, ("digits", "sgd"): 0.1, ("lm", "adam"): 1e-3, ("digits", "adam"): 1e-3}
Batch = tuple[torch.Tensor, torch.Tensor]


def default_lr(task: str, optimizer: str) -> float:
    """The default learning rate of ``task`` with ``optimizer`` (module docstring says why)."""
    return _LR[(task, optimizer)]


def models_of(task: str) -> tuple[str, ...]:
    """The model names of ``task``."""
    return tuple(LM_SIZES) if task == "lm" else VISION_MODELS


@dataclass(frozen=True)
class ProbeTask:
    """A ready-to-train task: model, mean loss, step → batch, probe batch, data fingerprint."""

    task: str
    model_name: str
    model: torch.nn.Module
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    batch_at: Callable[[int], Batch]
    probe_batch: Batch
    fingerprint: dict[str, Any]

    @property
    def n_params(self) -> int:
        """Number of trainable parameters."""
        return count_parameters(self.model)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


def _positive(name: str, v: Any) -> None:
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {v!r}")


def build_task(task: str, model: str | None = None, *, batch: int | None = None, context: int = 128,
               probe_batch: int | None = None, seed: int = 0, device: str | torch.device | None = None) -> ProbeTask:
    """Build ``task`` (``"lm"`` or ``"digits"``) with ``model`` (default :data:`DEFAULTS`) on ``device``."""
    _check_choice("task", task, TASKS)
    model = DEFAULTS[task]["model"] if model is None else model
    _check_choice("model", model, models_of(task))
    batch = DEFAULTS[task]["batch"] if batch is None else batch
    probe_batch = DEFAULTS[task]["probe_batch"] if probe_batch is None else probe_batch
    for name, v in (("batch", batch), ("probe_batch", probe_batch), ("context", context)):
        _positive(name, v)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    dev = resolve_device(device)
    if task == "lm":
        from warmup_theory.numerics.data.stdlib_corpus import load_stdlib_corpus

        corpus = load_stdlib_corpus()
        net: torch.nn.Module = build_lm(model, seed=seed).to(dev)

        def lm_batch(t: int) -> Batch:
            x, y = corpus.batch("train", t, batch_size=batch, context=context, seed=seed)
            return x.to(dev), y.to(dev)

        px, py = corpus.batch("train", -1, batch_size=probe_batch, context=context, seed=seed)
        fp = dict(corpus.fingerprint, context=context)
        return ProbeTask(task, model, net, lm_loss, lm_batch, (px.to(dev), py.to(dev)), fp)
    from warmup_theory.numerics.data.digits import load_digits_split

    data = load_digits_split(seed=seed)
    if probe_batch > data.y_train.numel():
        raise ValueError(f"probe_batch must be <= {data.y_train.numel()} (training images), got {probe_batch}")
    net = build_vision(model, seed=seed).to(dev)

    def digits_batch(t: int) -> Batch:
        x, y = data.batch(t, batch_size=batch, seed=seed)
        return x.to(dev), y.to(dev)

    idx = torch.randperm(data.y_train.numel(), generator=torch.Generator().manual_seed(seed + 7_919))[:probe_batch]
    pb = (data.x_train[idx].to(dev), data.y_train[idx].to(dev))
    return ProbeTask(task, model, net, torch.nn.functional.cross_entropy, digits_batch, pb, dict(data.fingerprint))


def run_task(task: str, model: str | None = None, *, optimizer: str = "sgd", lr: float | None = None,
             steps: int | None = None, batch: int | None = None, clip: float | None = 1.0, every: int | None = None,
             seed: int = 0, device: str | torch.device | None = None, context: int = 128,
             probe_batch: int | None = None, tol: float = 1e-3, progress: bool | None = None) -> ProbeResult:
    """Build ``task`` and probe it (module docstring); unset options come from :data:`DEFAULTS`."""
    _check_choice("optimizer", optimizer, OPTIMIZERS)
    _check_choice("task", task, TASKS)
    lr = default_lr(task, optimizer) if lr is None else float(lr)
    if not (lr > 0 and lr < float("inf")):
        raise ValueError(f"lr must be a finite number > 0, got {lr!r}")
    steps = DEFAULTS[task]["steps"] if steps is None else steps
    every = DEFAULTS[task]["every"] if every is None else every
    spec = build_task(task, model, batch=batch, context=context, probe_batch=probe_batch, seed=seed, device=device)
    opt: torch.optim.Optimizer = (torch.optim.SGD(spec.model.parameters(), lr=lr) if optimizer == "sgd"
                                  else torch.optim.Adam(spec.model.parameters(), lr=lr))
    settings = {"task": task, "model": spec.model_name, "n_params": spec.n_params, "optimizer": optimizer, "lr": lr,
                "batch": batch or DEFAULTS[task]["batch"], "probe_batch": int(spec.probe_batch[1].shape[0]),
                "clip": clip, "steps": steps, "every": every, "seed": seed, "tol": tol,
                "device": str(next(spec.model.parameters()).device),
                "data": " ".join(f"{k}={v}" for k, v in spec.fingerprint.items())}
    return probe(spec.model, spec.loss_fn, spec.batch_at, spec.probe_batch, opt, steps=steps, every=every,
                 clip=clip, f_star=0.0, tol=tol, seed=seed, progress=progress, settings=settings)
