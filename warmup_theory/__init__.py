"""warmup-theory: executable, machine-checked theory of (H0,H1)-smoothness and learning-rate warm-up.

A function f is (H0,H1)-smooth (Definition 3.1 of Alimisis, Islamov, Lucchi, v2) when
‖∇²f(w)‖₂ <= H0 + H1·(f(w) − f*) for all w, ‖·‖₂ the spectral norm.

Layers, imported one way only: ``warmup_theory.theory`` (sympy, mpmath) ←
``warmup_theory.numerics`` (numpy, scipy, torch) ← ``warmup_theory.proofs_checks`` (claims, ``verify``)
← ``warmup_theory`` (this facade and the CLI).

The names a user reaches for first are re-exported here lazily (PEP 562): ``import warmup_theory``
imports neither sympy nor torch; the first use of a name imports the layer that defines it.

>>> import warmup_theory as wt
>>> wt.bounds.pl_adaptive_iterations(1.0, 1.0, 0.5, 10.0, 1e-3)
1009.0
>>> wt.HSmooth(1.0, 2.0)
HSmooth(H0=1.0, H1=2.0)
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__: str = version("warmup-theory")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.2.0"

#: public name -> (module, attribute); attribute None means the module itself.
_LAZY: dict[str, tuple[str, str | None]] = {
    "theory": ("warmup_theory.theory", None),
    "numerics": ("warmup_theory.numerics", None),
    "proofs_checks": ("warmup_theory.proofs_checks", None),
    "bounds": ("warmup_theory.theory.bounds", None),
    "closure": ("warmup_theory.theory.closure", None),
    "architectures": ("warmup_theory.theory.architectures", None),
    "lemmas": ("warmup_theory.theory.lemmas", None),
    "certify": ("warmup_theory.theory.certify", "certify"),
    "compare": ("warmup_theory.numerics.comparison", "compare"),
    "HSmooth": ("warmup_theory.theory.hsmooth", "HSmooth"),
    "hessian_spectral_norm": ("warmup_theory.numerics.curvature", "hessian_spectral_norm"),
    "model_hessian_norm": ("warmup_theory.numerics.curvature", "model_hessian_norm"),
    "CurvatureTracker": ("warmup_theory.numerics.curvature", "CurvatureTracker"),
    "SpectralNormResult": ("warmup_theory.numerics.curvature", "SpectralNormResult"),
    "fit_h0_h1": ("warmup_theory.numerics.fit", "fit_h0_h1"),
    "run_gd": ("warmup_theory.numerics.gd", "run_gd"),
}

#: kept literal so linters and type checkers see it; a test checks it equals ``["__version__", *sorted(_LAZY)]``
__all__ = [
    "__version__",
    "CurvatureTracker",
    "HSmooth",
    "SpectralNormResult",
    "architectures",
    "bounds",
    "certify",
    "closure",
    "compare",
    "fit_h0_h1",
    "hessian_spectral_norm",
    "lemmas",
    "model_hessian_norm",
    "numerics",
    "proofs_checks",
    "run_gd",
    "theory",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    import warmup_theory.numerics as numerics
    import warmup_theory.proofs_checks as proofs_checks
    import warmup_theory.theory as theory
    from warmup_theory.numerics.comparison import compare
    from warmup_theory.numerics.curvature import (
        CurvatureTracker,
        SpectralNormResult,
        hessian_spectral_norm,
        model_hessian_norm,
    )
    from warmup_theory.numerics.fit import fit_h0_h1
    from warmup_theory.numerics.gd import run_gd
    from warmup_theory.theory import architectures, bounds, closure, lemmas
    from warmup_theory.theory.certify import certify
    from warmup_theory.theory.hsmooth import HSmooth


def __getattr__(name: str) -> Any:
    """Import the layer defining ``name`` on first use (PEP 562) and cache it in the module."""
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'warmup_theory' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Module attributes plus the lazily importable names."""
    return sorted(set(globals()) | set(_LAZY))
