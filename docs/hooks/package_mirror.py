"""MkDocs hook: lay the installed package out as a tree of symlinks so mkdocstrings can read it statically.

The checkout ships ``theory/``, ``numerics/`` and ``proofs_checks/`` as ``warmup_theory.theory`` and so on
(setup.py's ``package_dir``); griffe follows folders, not that mapping, so — like ``.ci/typecheck`` for mypy —
the hook builds ``build/docs_api/warmup_theory/`` with one link per entry of ``warmup_theory/`` and one per
layer.  ``mkdocs.yml`` points the python handler's ``paths`` there.  Nothing is imported or executed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
MIRROR = ROOT / "build" / "docs_api"
LAYERS = ("theory", "numerics", "proofs_checks")


def build_mirror(root: Path = ROOT, mirror: Path = MIRROR) -> Path:
    """(Re)create ``mirror/warmup_theory`` as symlinks into ``root``; returns the package folder."""
    pkg = mirror / "warmup_theory"
    if mirror.exists():
        shutil.rmtree(mirror)
    pkg.mkdir(parents=True)
    for entry in sorted((root / "warmup_theory").iterdir()):
        if entry.name != "__pycache__":
            (pkg / entry.name).symlink_to(entry)
    for layer in LAYERS:
        (pkg / layer).symlink_to(root / layer, target_is_directory=True)
    return pkg


@event_priority(100)  # before mkdocstrings' on_config, which resolves ``paths`` (a missing folder is dropped)
def on_config(config: Any, **kwargs: Any) -> Any:
    """MkDocs ``on_config`` event: build the mirror before mkdocstrings reads its ``paths``."""
    build_mirror()
    return config
