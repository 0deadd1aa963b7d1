"""The house rules, checked on the source: one namespace, layers imported one way, no import cycles.

Layers (CONTRIBUTING.md): ``warmup_theory.theory`` (sympy, mpmath; numpy only as sympy's numeric
backend) ← ``warmup_theory.numerics`` (numpy, scipy, torch, matplotlib) ← ``warmup_theory.proofs_checks``
← ``warmup_theory`` (facade, CLI). Every ``import`` statement of every module is parsed (ast), including
imports inside functions and under ``TYPE_CHECKING``: none may name a layer above its own, a bare
``theory`` / ``numerics`` / ``proofs_checks`` (the pre-0.2 top-level names) or ``tests``. The imports that
run (all but those under ``if TYPE_CHECKING:``; an import deferred into a function still counts, deferring
is how cycles hide) must form no cycle between modules.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = "warmup_theory"
#: source folder -> package it ships as (setup.py's package_dir)
FOLDERS = {"warmup_theory": PKG, "theory": f"{PKG}.theory", "numerics": f"{PKG}.numerics",
           "proofs_checks": f"{PKG}.proofs_checks"}
RANK = {f"{PKG}.theory": 0, f"{PKG}.numerics": 1, f"{PKG}.proofs_checks": 2, PKG: 3}
#: third-party packages a layer may not import (on top of the upward rule)
FORBIDDEN_THIRD_PARTY = {f"{PKG}.theory": {"torch", "scipy", "matplotlib", "tqdm"}}
OLD_TOP_LEVEL = {"theory", "numerics", "proofs_checks", "tests"}


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    imports: list[tuple[str, int, bool]] = field(default_factory=list)  # (target, line, runs)


def layer_of(module: str) -> str:
    """The layer package a module belongs to (the longest matching prefix in RANK)."""
    for layer in sorted(RANK, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    raise ValueError(module)


def discover(root: Path, folders: dict[str, str]) -> dict[str, Module]:
    """Every module of the package, named as installed."""
    mods: dict[str, Module] = {}
    for folder, pkg in folders.items():
        base = root / folder
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(base).with_suffix("").parts
            is_package = rel[-1] == "__init__"
            parts = rel[:-1] if is_package else rel
            name = ".".join((pkg, *parts))
            mods[name] = Module(name, path, is_package)
    return mods


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def parse_imports(mod: Module, known: set[str]) -> None:
    """Fill ``mod.imports``: absolute target module of each import, with its line and whether it runs
    (``False`` only under ``if TYPE_CHECKING:``). ``from X import y`` targets ``X.y`` when
    that is a module of the package, else ``X``."""
    tree = ast.parse(mod.path.read_text(encoding="utf-8"), filename=str(mod.path))
    package = mod.name if mod.is_package else mod.name.rpartition(".")[0]

    def visit(node: ast.AST, eager: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), False)
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), eager)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    mod.imports.append((alias.name, child.lineno, eager))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                subs = [f"{target}.{a.name}" for a in child.names if f"{target}.{a.name}" in known]
                if len(subs) < len(child.names):
                    mod.imports.append((target, child.lineno, eager))
                mod.imports.extend((s, child.lineno, eager) for s in subs)
            else:
                visit(child, eager)

    visit(tree, True)


def violations(mods: dict[str, Module]) -> list[str]:
    """Upward imports, imports of the old top-level names or of tests, forbidden third-party imports."""
    out = []
    for m in mods.values():
        here = layer_of(m.name)
        for target, line, _ in m.imports:
            where = f"{m.path.relative_to(ROOT) if m.path.is_relative_to(ROOT) else m.path}:{line}"
            top = target.split(".")[0]
            if top in OLD_TOP_LEVEL:
                out.append(f"{where}: imports {target!r} (use warmup_theory.{target})")
            elif top == PKG:
                there = layer_of(target)
                if RANK[there] > RANK[here]:
                    out.append(f"{where}: {m.name} ({here}) imports {target} from the layer above ({there})")
            elif top in FORBIDDEN_THIRD_PARTY.get(here, set()):
                out.append(f"{where}: {here} may not import {top}")
    return out


def cycles(mods: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components (size > 1, or a self-import) of the graph of imports that run."""
    graph = {n: sorted({t for t, _, eager in m.imports if eager and t in mods}) for n, m in mods.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def strong(v: str) -> None:  # Tarjan; the graph has < 200 nodes, recursion depth is fine
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            strong(v)
    return found


def analyse(root: Path, folders: dict[str, str]) -> tuple[dict[str, Module], list[str], list[list[str]]]:
    mods = discover(root, folders)
    for m in mods.values():
        parse_imports(m, set(mods))
    return mods, violations(mods), cycles(mods)


def test_layers_one_way_and_no_cycles() -> None:
    mods, bad, cyc = analyse(ROOT, FOLDERS)
    n_imports = sum(len(m.imports) for m in mods.values())
    print(f"{len(mods)} modules, {n_imports} import statements parsed; "
          f"{len(bad)} upward/forbidden imports, {len(cyc)} cycles")
    assert len(mods) > 50 and n_imports > 300  # the walk really saw the package
    assert not bad, "\n".join(bad)
    assert not cyc, "\n".join(" <-> ".join(c) for c in cyc)


def test_nothing_imports_tests() -> None:
    for path in ROOT.rglob("*.py"):
        if "tests" in path.relative_to(ROOT).parts[:1] or ".git" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n.split(".")[0] == "tests" for n in names), f"{path}:{node.lineno} imports tests"


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")


def test_checker_catches_upward_imports_cycles_and_old_names(tmp_path: Path) -> None:
    """The checker itself: a planted upward import, a planted cycle and an old top-level name are found;
    an import deferred into a function still closes a cycle; one under TYPE_CHECKING does not (but obeys
    the layers)."""
    _write(tmp_path, {
        "warmup_theory/__init__.py": "",
        "theory/__init__.py": "",
        "theory/a.py": "from warmup_theory.theory import b\n",
        "theory/b.py": "from . import a\n",                                   # a <-> b: a cycle
        "theory/c.py": "def f():\n    from warmup_theory.numerics import x\n",  # upward, even if lazy
        "theory/d.py": "import torch\n",                                     # forbidden third party
        "numerics/__init__.py": "",
        "numerics/x.py": "import numerics.y\n",                              # old top-level name
        "numerics/y.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                          "    from warmup_theory.numerics import z\n"),
        "numerics/z.py": "from warmup_theory.numerics import y\n",           # y -> z for types only: no cycle
        "numerics/e.py": "from warmup_theory.numerics import f\n",
        "numerics/f.py": "def g():\n    from warmup_theory.numerics import e\n",   # deferred: still a cycle
        "proofs_checks/__init__.py": "",
    })
    _, bad, cyc = analyse(tmp_path, FOLDERS)
    assert sorted(cyc) == [["warmup_theory.numerics.e", "warmup_theory.numerics.f"],
                           ["warmup_theory.theory.a", "warmup_theory.theory.b"]]
    assert len(bad) == 3
    assert any("theory/c.py:2" in v and "layer above" in v for v in bad)
    assert any("may not import torch" in v for v in bad)
    assert any("'numerics.y'" in v for v in bad)


def test_import_warmup_theory_is_light(tmp_path: Path) -> None:
    """``import warmup_theory`` loads neither torch nor sympy nor numpy; the first use of a name loads its layer.
    (The import time itself is measured by benchmarks/import_time.py, not asserted here.)"""
    code = ("import sys, warmup_theory as w\n"
            "heavy = sorted(m for m in ('torch', 'sympy', 'numpy', 'scipy') if m in sys.modules)\n"
            "assert not heavy, heavy\n"
            "assert w.__all__ == ['__version__', *sorted(w._LAZY)]\n"
            "w.HSmooth\n"
            "assert 'sympy' in sys.modules and 'torch' not in sys.modules\n"
            "w.CurvatureTracker\n"
            "assert 'torch' in sys.modules\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("old", ["theory", "numerics", "proofs_checks"])
def test_old_top_level_names_are_not_installed(old: str, tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-c", f"import {old}"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode != 0 and "ModuleNotFoundError" in res.stderr
