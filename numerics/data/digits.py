"""scikit-learn's bundled handwritten digits (8×8 grey images, 1,797 samples, 10 classes), split and scaled.

Pixels (integers 0…16) are divided by 16 and then standardised with the TRAIN split's per-pixel mean and
standard deviation (a pixel constant on the train split keeps scale 1). The split is stratified by class
and seeded (``sklearn.model_selection.train_test_split``). Images come as ``(N, 1, 8, 8)`` float32 tensors.
scikit-learn (extra ``experiments``) is imported only when this function runs.

>>> d = load_digits_split(test_fraction=0.25, seed=0)   # doctest: +SKIP
>>> d.x_train.shape, d.fingerprint["images"]             # doctest: +SKIP
(torch.Size([1347, 1, 8, 8]), 1797)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

__all__ = ["DigitsData", "load_digits_split"]


@dataclass(frozen=True)
class DigitsData:
    """Train / test images ``(N, 1, 8, 8)`` float32 and labels int64, with the data fingerprint."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    fingerprint: dict[str, Any] = field(default_factory=dict)

    def batch(self, step: int, *, batch_size: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """A training mini-batch for ``step``: epoch e = step·batch_size // N uses the permutation seeded by
        (seed, e), so every sample is seen once per epoch and step t's batch is the same in every run."""
        n = int(self.y_train.numel())
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= n:
            raise ValueError(f"batch_size must be an integer in [1, {n}], got {batch_size!r}")
        per_epoch = n // batch_size
        epoch, k = divmod(step, per_epoch)
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100_003 + epoch))
        idx = perm[k * batch_size:(k + 1) * batch_size]
        return self.x_train[idx], self.y_train[idx]


def load_digits_split(*, test_fraction: float = 0.2, seed: int = 0) -> DigitsData:
    """Load, split (stratified, ``seed``) and standardise the digits (module docstring).

    Raises ``ValueError`` for ``test_fraction`` outside (0, 1) and ``ImportError`` naming the extra when
    scikit-learn is missing.
    """
    if not (0.0 < test_fraction < 1.0):
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the digits task needs scikit-learn: pip install 'warmup-theory[experiments]'") from exc
    raw = load_digits()
    x = np.asarray(raw.data, dtype=np.float64) / 16.0
    y = np.asarray(raw.target, dtype=np.int64)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=test_fraction, random_state=seed, stratify=y)
    mu, sd = xtr.mean(axis=0), xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)

    def images(a: np.ndarray[Any, Any]) -> torch.Tensor:
        return torch.from_numpy(((a - mu) / sd).astype(np.float32)).reshape(-1, 1, 8, 8)

    fp = {"source": "sklearn.datasets.load_digits", "images": int(len(y)), "train": int(len(ytr)),
          "test": int(len(yte)), "classes": int(len(np.unique(y))), "seed": seed, "test_fraction": test_fraction,
          "sha256": hashlib.sha256(np.ascontiguousarray(raw.data).tobytes()).hexdigest()[:16]}
    return DigitsData(images(xtr), torch.from_numpy(ytr), images(xte), torch.from_numpy(yte), fp)
