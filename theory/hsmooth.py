"""The (H0,H1)-smoothness class (Definition 3.1, v2).

f : R^d -> R, twice differentiable, bounded below with f* = inf f (not necessarily
attained), is (H0,H1)-smooth when

    ||∇²f(w)||₂ <= H0 + H1·(f(w) − f*)   for all w,   H0 >= 0, H1 >= 0,

where ||·||₂ is the spectral norm (largest |eigenvalue|) of the Hessian.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from warmup_theory.theory.validate import check_scalar, is_symbolic, to_sympy

__all__ = ["HSmooth"]


@dataclass(frozen=True)
class HSmooth:
    """Constants (H0, H1) of Definition 3.1; numbers or sympy expressions.

    Numeric H0 < 0, H1 < 0, NaN or infinities raise ``ValueError``.

    >>> c = HSmooth(2.0, 0.5)
    >>> c.bound(4.0)
    4.0
    >>> import sympy as sp
    >>> h0, h1, d = sp.symbols("H0 H1 Delta", nonnegative=True)
    >>> HSmooth(h0, h1).bound(d)
    Delta*H1 + H0
    """

    H0: Any
    H1: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "H0", check_scalar("H0", self.H0, low=0))
        object.__setattr__(self, "H1", check_scalar("H1", self.H1, low=0))

    @property
    def symbolic(self) -> bool:
        """True if either constant contains free sympy symbols."""
        return is_symbolic(self.H0, self.H1)

    def bound(self, gap: Any) -> Any:
        """The curvature bound H0 + H1·gap at sub-optimality ``gap`` = f(w) − f* >= 0."""
        checked = check_scalar("gap", gap, low=0)
        if self.symbolic or isinstance(gap, sp.Basic):
            value = self.H0 + self.H1 * to_sympy(gap)
        else:
            value = self.H0 + self.H1 * checked
        return sp.expand(value) if isinstance(value, sp.Basic) else float(value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: floats, or strings for symbolic constants."""
        def conv(v: Any) -> Any:
            return str(v) if isinstance(v, sp.Basic) and v.free_symbols else float(v)
        return {"H0": conv(self.H0), "H1": conv(self.H1)}
