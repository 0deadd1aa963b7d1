"""Every module of the four layers is shipped: setup.py's find_packages only sees folders with __init__.py."""

from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("theory", "numerics", "proofs_checks", "warmup_theory")


def test_every_python_folder_is_a_package():
    missing = []
    for layer in LAYERS:
        shipped = {layer, *(f"{layer}.{p}" for p in find_packages(str(ROOT / layer)))}
        for py in (ROOT / layer).rglob("*.py"):
            rel = py.parent.relative_to(ROOT)
            if "__pycache__" in rel.parts:
                continue
            name = ".".join(rel.parts)
            if name not in shipped:
                missing.append(str(py.relative_to(ROOT)))
    assert not missing, f"modules outside any package (add an __init__.py): {sorted(missing)}"
