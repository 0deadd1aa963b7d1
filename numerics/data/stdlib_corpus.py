"""A byte-level text corpus made of the running Python's standard-library sources (nothing downloaded).

The files are the ``.py`` files under ``sysconfig.get_paths()["stdlib"]`` (``site-packages`` and
``dist-packages`` excluded; the ``test``/``tests`` packages excluded unless ``include_tests=True``), in sorted
order of their POSIX paths relative to that root. Each file goes to the validation split iff the first byte
of sha256(relative path) is below 256·``val_fraction`` — a split **by file** that depends only on the path, so
adding a file elsewhere never moves the others. Files are joined with :data:`SEPARATOR` (a NUL byte, which
source files do not contain). Tokens are bytes: vocabulary 256.

The corpus depends on the Python version, so :attr:`ByteCorpus.fingerprint` (file counts, bytes, a sha256
over paths and contents, the Python version) goes into every experiment's output.

Batches are random access: :meth:`ByteCorpus.batch` (split, step, …) draws its context start offsets from a
generator seeded with (seed, step), so step t of a run gets the same batch whatever ran before.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> for i in range(20):
...     _ = (root / f"m{i:02d}.py").write_text(f"x = {i}\\n" * 40)
>>> c = load_stdlib_corpus(root=root, val_fraction=0.25)
>>> c.fingerprint["files"], c.fingerprint["train_files"] + c.fingerprint["val_files"]
(20, 20)
>>> x, y = c.batch("train", 0, batch_size=4, context=16, seed=1)
>>> x.shape, bool((x[:, 1:] == y[:, :-1]).all())
(torch.Size([4, 16]), True)
>>> bool((c.batch("train", 0, batch_size=4, context=16, seed=1)[0] == x).all())
True
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

__all__ = ["SEPARATOR", "ByteCorpus", "load_stdlib_corpus", "stdlib_files"]

SEPARATOR = b"\x00"
_SKIP_DIRS = frozenset({"site-packages", "dist-packages", "__pycache__"})
_TEST_DIRS = frozenset({"test", "tests", "idle_test"})


def stdlib_files(root: str | os.PathLike[str] | None = None, *, include_tests: bool = False) -> list[str]:
    """Sorted relative POSIX paths of the corpus files under ``root`` (default: this Python's stdlib)."""
    base = Path(sysconfig.get_paths()["stdlib"] if root is None else root)
    if not base.is_dir():
        raise ValueError(f"root must be an existing directory, got {str(base)!r}")
    out = []
    for f in base.rglob("*.py"):
        parts = f.relative_to(base).parts
        if _SKIP_DIRS.intersection(parts[:-1]) or (not include_tests and _TEST_DIRS.intersection(parts[:-1])):
            continue
        if f.is_file():
            out.append(f.relative_to(base).as_posix())
    return sorted(out)


@dataclass(frozen=True)
class ByteCorpus:
    """Train and validation byte streams (``torch.uint8``) and the corpus fingerprint (module docstring)."""

    train: torch.Tensor
    val: torch.Tensor
    fingerprint: dict[str, Any] = field(default_factory=dict)

    def split(self, name: str) -> torch.Tensor:
        """The byte stream of split ``"train"`` or ``"val"``."""
        if name not in ("train", "val"):
            raise ValueError(f"split must be 'train' or 'val', got {name!r}")
        return self.train if name == "train" else self.val

    def batch(self, split: str, step: int, *, batch_size: int, context: int = 128,
              seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """``(x, y)`` int64 tensors of shape (batch_size, context): random windows of the split, y = x shifted
        by one byte (next-byte targets). Deterministic in (split, step, batch_size, context, seed)."""
        data = self.split(split)
        for name, v in (("batch_size", batch_size), ("context", context)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        if context + 1 > data.numel():
            raise ValueError(f"context must be < {data.numel()} (the {split} split's bytes), got {context}")
        key = hashlib.sha256(f"{seed}:{split}:{step}".encode()).digest()
        g = torch.Generator().manual_seed(int.from_bytes(key[:8], "little") >> 1)
        start = torch.randint(0, data.numel() - context, (batch_size,), generator=g)
        idx = start[:, None] + torch.arange(context + 1)[None, :]
        win = data[idx].long()
        return win[:, :-1], win[:, 1:]


def load_stdlib_corpus(root: str | os.PathLike[str] | None = None, *, val_fraction: float = 0.1,
                       include_tests: bool = False, max_bytes: int | None = None) -> ByteCorpus:
    """Build the corpus (module docstring); ``max_bytes`` caps each split's stream (None: everything).

    Raises ``ValueError`` for ``val_fraction`` outside (0, 1), a missing root, or a split left empty.
    """
    if not (0.0 < val_fraction < 1.0):
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction!r}")
    if max_bytes is not None and (isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 2):
        raise ValueError(f"max_bytes must be an integer >= 2 or None, got {max_bytes!r}")
    base = Path(sysconfig.get_paths()["stdlib"] if root is None else root)
    files = stdlib_files(base, include_tests=include_tests)
    digest = hashlib.sha256()
    parts: dict[str, list[bytes]] = {"train": [], "val": []}
    for rel in files:
        content = (base / rel).read_bytes().replace(SEPARATOR, b"")
        digest.update(rel.encode() + SEPARATOR + content + SEPARATOR)
        to_val = hashlib.sha256(rel.encode()).digest()[0] < 256 * val_fraction
        parts["val" if to_val else "train"].append(content)
    if not parts["train"] or not parts["val"]:
        raise ValueError(f"val_fraction={val_fraction} leaves a split empty with {len(files)} files under {base}")
    streams = {}
    for name, chunks in parts.items():
        raw = SEPARATOR.join(chunks)[:max_bytes]
        streams[name] = torch.frombuffer(bytearray(raw), dtype=torch.uint8)
    fp = {"source": "stdlib" if root is None else str(base), "python": sys.version.split()[0],
          "files": len(files), "train_files": len(parts["train"]), "val_files": len(parts["val"]),
          "train_bytes": int(streams["train"].numel()), "val_bytes": int(streams["val"].numel()),
          "sha256": digest.hexdigest()[:16], "include_tests": include_tests, "val_fraction": val_fraction}
    return ByteCorpus(streams["train"], streams["val"], fp)
