"""Every docstring example in the package runs, imported through the ``warmup_theory`` namespace."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import warmup_theory


def _modules() -> list[str]:
    names = ["warmup_theory"]
    for info in pkgutil.walk_packages(warmup_theory.__path__, "warmup_theory."):
        names.append(info.name)
    for layer in ("theory", "numerics", "proofs_checks"):
        pkg = importlib.import_module(f"warmup_theory.{layer}")
        names.append(pkg.__name__)
        names += [i.name for i in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}.")]
    return sorted(n for n in set(names) if not n.endswith("__main__"))


MODULES = _modules()


def test_every_layer_is_walked() -> None:
    assert {"warmup_theory.theory.bounds.pl", "warmup_theory.numerics.gd", "warmup_theory.cli"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
