"""Data and models of a schedule study: the probe's offline tasks, loaded once, batched over runs.

* ``lm``: the byte-level LM (:mod:`~warmup_theory.numerics.models.lm`) on the standard library's sources; run
  ``r`` with seed ``s`` trains on ``corpus.batch("train", t, seed=s)``; validation: ``val_batch`` fixed windows of
  the validation split (files no training window comes from). Loss: mean next-byte cross-entropy (nats/byte).
* ``digits``: :mod:`~warmup_theory.numerics.models.vision` on scikit-learn's digits, one fixed split (seed 0),
  epoch-shuffled batches by seed; validation: the 360 held-out images. Loss: mean cross-entropy.

A seed fixes the initialisation and the batch order; every schedule sees the same seeds (paired comparison).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from warmup_theory.numerics.models.lm import LM_SIZES, build_lm, lm_loss
from warmup_theory.numerics.models.vision import VISION_MODELS, build_vision

__all__ = ["StudyTask", "load_study_task"]

Batch = tuple[torch.Tensor, torch.Tensor]


@dataclass(frozen=True)
class StudyTask:
    """Model factory, loss, per-seed training batches, the validation set and the data fingerprint."""

    task: str
    model: str
    build: Callable[[int], torch.nn.Module]
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    batch_at: Callable[[int, int], Batch]
    val: Batch
    fingerprint: dict[str, Any]

    def batches(self, seeds: Sequence[int], t: int, device: torch.device) -> Batch:
        """Step ``t``'s batches of the runs with ``seeds`` stacked to ``(runs, batch, …)`` (one load per seed)."""
        cache = {s: self.batch_at(s, t) for s in dict.fromkeys(seeds)}
        return (torch.stack([cache[s][0] for s in seeds]).to(device),
                torch.stack([cache[s][1] for s in seeds]).to(device))


def load_study_task(task: str, model: str, *, batch: int, context: int, val_batch: int = 64) -> StudyTask:
    """Load ``task`` (``"lm"`` / ``"digits"``) with ``model``; ``context`` only matters for ``lm``."""
    if task == "lm":
        if model not in LM_SIZES:
            raise ValueError(f"model must be one of {', '.join(LM_SIZES)} for task lm, got {model!r}")
        from warmup_theory.numerics.data.stdlib_corpus import load_stdlib_corpus

        corpus = load_stdlib_corpus()
        val = corpus.batch("val", 0, batch_size=val_batch, context=context, seed=1_000_003)

        def lm_batch(seed: int, t: int) -> Batch:
            return corpus.batch("train", t, batch_size=batch, context=context, seed=seed)

        return StudyTask(task, model, lambda s: build_lm(model, seed=s), lm_loss, lm_batch, val,
                         dict(corpus.fingerprint, context=context, val_windows=val_batch))
    if task != "digits":
        raise ValueError(f"task must be one of lm, digits, got {task!r}")
    if model not in VISION_MODELS:
        raise ValueError(f"model must be one of {', '.join(VISION_MODELS)} for task digits, got {model!r}")
    from warmup_theory.numerics.data.digits import load_digits_split

    data = load_digits_split(seed=0)

    def digits_batch(seed: int, t: int) -> Batch:
        return data.batch(t, batch_size=batch, seed=seed)

    return StudyTask(task, model, lambda s: build_vision(model, seed=s), torch.nn.functional.cross_entropy,
                     digits_batch, (data.x_test, data.y_test), dict(data.fingerprint))
