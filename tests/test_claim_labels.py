"""Honest labels (issue 15): every ``Proof.fact`` in the claims names its method, and a step labelled
"symbolic" is not computed from floating-point numbers (those are method="instance")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from warmup_theory.proofs_checks.framework import METHODS

CLAIMS = sorted((Path(__file__).resolve().parents[1] / "proofs_checks" / "claims").glob("*.py"))


def _fact_calls() -> list[tuple[str, ast.Call]]:
    out = []
    for path in CLAIMS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fact":
                out.append((f"{path.name}:{node.lineno}", node))
    return out


def _floaty(expr: ast.AST) -> list[str]:
    """Float literals, ``float(…)`` calls and ``math.…`` calls inside an expression."""
    bad = []
    for n in ast.walk(expr):
        if isinstance(n, ast.Constant) and isinstance(n.value, float):
            bad.append(repr(n.value))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "float":
            bad.append("float(...)")
        elif isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in ("math", "np"):
            bad.append(f"{n.value.id}.{n.attr}")
    return bad


def test_the_scan_sees_the_facts() -> None:
    assert len(_fact_calls()) >= 40


@pytest.mark.parametrize("where,call", _fact_calls(), ids=lambda v: v if isinstance(v, str) else "")
def test_fact_names_a_known_method_and_symbolic_means_symbolic(where: str, call: ast.Call) -> None:
    kw = {k.arg: k.value for k in call.keywords}
    assert "method" in kw, f"{where}: Proof.fact without method="
    method = kw["method"]
    assert isinstance(method, ast.Constant) and method.value in METHODS, f"{where}: method {ast.dump(method)}"
    if "role" in kw:
        assert isinstance(kw["role"], ast.Constant) and kw["role"].value in ("proof", "check"), where
    if method.value == "symbolic":
        ok = call.args[1] if len(call.args) > 1 else kw.get("ok")
        assert ok is not None, where
        bad = _floaty(ok)
        assert not bad, f"{where}: labelled symbolic but computed from floats: {bad} (use method='instance')"


def test_scan_flags_a_float_computed_symbolic_fact() -> None:
    """The scan itself can fail: a float-path equality labelled symbolic is caught."""
    call = ast.parse('p.fact("float path", f(1.5) == 2.0, method="symbolic")').body[0].value  # type: ignore[attr-defined]
    assert sorted(_floaty(call.args[1])) == ["1.5", "2.0"]
