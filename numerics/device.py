"""Device selection shared by the numerics layer: CUDA when available, else CPU.

>>> resolve_device("cpu")
device(type='cpu')
>>> resolve_device(None) == default_device()
True
"""

from __future__ import annotations

import torch

__all__ = ["default_device", "resolve_device"]


def default_device() -> torch.device:
    """``cuda`` if a CUDA device is available, else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def resolve_device(device: str | torch.device | None = None) -> torch.device:
    """Validate a user's device: ``None`` -> :func:`default_device`; ``"cpu"``, ``"cuda"``,
    ``"cuda:N"`` or a ``torch.device``.

    Raises ``TypeError`` for other types and ``ValueError`` for unknown strings or a CUDA
    device that is not available.

    >>> resolve_device("tpu")
    Traceback (most recent call last):
    ...
    ValueError: device must be 'cpu', 'cuda' or 'cuda:N', got 'tpu'
    """
    if device is None:
        return default_device()
    if isinstance(device, str):
        try:
            dev = torch.device(device)
        except RuntimeError:
            raise ValueError(f"device must be 'cpu', 'cuda' or 'cuda:N', got {device!r}") from None
    elif isinstance(device, torch.device):
        dev = device
    else:
        raise TypeError(f"device must be a str, torch.device or None, got {type(device).__name__}")
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu', 'cuda' or 'cuda:N', got {device!r}")
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device {device!r} requested but CUDA is not available")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ValueError(
                f"device {device!r}: index must be in [0, {torch.cuda.device_count() - 1}]")
    return dev
