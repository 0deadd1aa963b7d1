"""The certify result types (:class:`Bracket`, :class:`Answer`, :class:`Certificate`) and the engines'
shared tools (:func:`rational`, :func:`bisect_min_h1`); the one- and many-variable engines import these,
not the dispatcher, so the package has no import cycle."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from warmup_theory.theory.certify import interval as civ
from warmup_theory.theory.validate import check_scalar, is_symbolic

__all__ = ["Answer", "Bracket", "BoxBracket", "Certificate", "UndecidedError", "Verdict", "bisect_min_h1",
           "rational", "BOX", "BRACKET", "EXACT", "UNCERT"]

EXACT, BRACKET, BOX, UNCERT = "exact", "bracket", "box-bracket", "uncertified"
_BISECT_RTOL = 1e-6  # min_H1 brackets are bisected to this relative width


@dataclass(frozen=True)
class Bracket:
    """Closed interval [lower, upper] certified to contain a true value (upper may be inf)."""

    lower: float
    upper: float

    def contains(self, x: float, slack: float = 0.0) -> bool:
        """True if ``lower - slack <= x <= upper + slack``."""
        return self.lower - slack <= x <= self.upper + slack

    @property
    def width(self) -> float:
        """upper − lower."""
        return self.upper - self.lower

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return {"lower": _jf(self.lower), "upper": _jf(self.upper)}


@dataclass(frozen=True)
class BoxBracket(Bracket):
    """A bracket valid on ``box`` only (both f* and the supremum of φ taken over the box): it says
    nothing about the function outside the box, so it never stands for a global value."""

    box: tuple[tuple[float, float], ...] = ()

    def __str__(self) -> str:
        return f"[{self.lower:.10g}, {self.upper:.10g}] on the box {_box_str(self.box)} only (not global)"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict, with ``box`` and ``scope = "box"``."""
        return {**super().to_dict(), "box": [list(b) for b in self.box], "scope": "box"}


def _box_str(box: tuple[tuple[float, float], ...]) -> str:
    return "×".join(f"[{a:g}, {b:g}]" for a, b in box)


class UndecidedError(ValueError):
    """``bool()`` of an undecided :class:`Verdict` (a ValueError, as ``holds`` raised before)."""


@dataclass(frozen=True, eq=False)
class Verdict:
    """Three-valued answer of ``holds``: ``value`` True / False (proven) or None (undecided).

    ``bool(v)`` is the proven value; for an undecided verdict it raises :class:`UndecidedError`
    (so ``if c.holds(...)`` can never silently read "undecided" as False).  ``v == True`` compares
    the value; ``v.decided`` and ``v.state`` ("true" / "false" / "undecided") never raise.
    ``reason`` says how it was decided or why not (in ``repr`` and ``to_dict``; ``str`` is the value
    alone, plus the box verdict for a box bracket); ``on_box`` is the verdict on the certification
    box of a box bracket (``box``), which is not a global verdict.

    >>> v = Verdict(None, "H0 lies inside the bracket")
    >>> v.state, v.decided, str(v), v.reason
    ('undecided', False, 'undecided', 'H0 lies inside the bracket')
    >>> bool(Verdict(True, "H0 >= upper end of φ(H1)"))
    True
    """

    value: bool | None
    reason: str = ""
    on_box: bool | None = None
    box: tuple[tuple[float, float], ...] | None = None

    def __bool__(self) -> bool:
        if self.value is None:
            raise UndecidedError(f"holds() is undecided: {self.reason}")
        return self.value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, bool):
            return self.value is other
        if isinstance(other, Verdict):
            return (self.value, self.reason, self.on_box, self.box) == (other.value, other.reason,
                                                                        other.on_box, other.box)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.value, self.reason, self.on_box, self.box))

    @property
    def decided(self) -> bool:
        """True when ``value`` is True or False."""
        return self.value is not None

    @property
    def state(self) -> str:
        """"true", "false" or "undecided"."""
        return "undecided" if self.value is None else str(self.value).lower()

    def __str__(self) -> str:
        s = str(self.value) if self.value is not None else "undecided"
        if self.box is not None:
            s += f" (on the box {_box_str(self.box)} only: {self.on_box})"
        return s

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict."""
        return {"value": self.value, "state": self.state, "reason": self.reason, "on_box": self.on_box,
                "box": None if self.box is None else [list(b) for b in self.box]}


@dataclass(frozen=True)
class Answer:
    """One certified answer: ``value`` (sympy number / ``sympy.oo`` when exact, else a
    :class:`Bracket`), ``method`` (exact | bracket | box-bracket | uncertified) and a note."""

    value: Any
    method: str
    note: str = ""

    @property
    def lower(self) -> float:
        """Lower end of the value (the value itself when exact)."""
        return self.value.lower if isinstance(self.value, Bracket) else _lohi(self.value)[0]

    @property
    def upper(self) -> float:
        """Upper end of the value (the value itself when exact)."""
        return self.value.upper if isinstance(self.value, Bracket) else _lohi(self.value)[1]

    @property
    def exact(self) -> bool:
        """True when the value is exact (a sympy number or expression), not a bracket."""
        return self.method == EXACT

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        v = self.value.to_dict() if isinstance(self.value, Bracket) else str(self.value)
        return {"value": v, "lower": _jf(self.lower), "upper": _jf(self.upper),
                "method": self.method, "note": self.note}


def _jf(x: float) -> Any:
    return x if math.isfinite(x) else str(x)


def _lohi(v: Any) -> tuple[float, float]:
    if v is sp.oo:
        return math.inf, math.inf
    if v.free_symbols:
        return -math.inf, math.inf
    x = civ.to_iv(v)
    return civ.lo(x), civ.hi(x)


@dataclass(frozen=True)
class Certificate:
    """The (H0,H1) frontier of ``expr`` (see module docstring for the guarantees).

    Fields: ``f_star`` (exact sympy value or :class:`Bracket`), ``f_star_method``,
    ``f_star_attained`` (True / False / None = not decided), ``smooth`` (True: some
    (H0,H1) is valid, False: none is, None: not decided) with ``smooth_reason``,
    ``curvature`` (|f''| or the symbolic spectral norm; None for d = 3), ``box``
    (the box of a box-bracket, else None) and ``method`` (how φ is computed).
    """

    expr: sp.Expr
    symbols: tuple
    f_star: Any
    f_star_method: str
    f_star_attained: bool | None
    smooth: bool | None
    smooth_reason: str
    curvature: Any
    method: str
    box: tuple | None = None
    _engine: Any = field(default=None, repr=False, compare=False)

    def min_H0(self, H1: Any) -> Answer:
        """φ(H1): the smallest H0 with (H0, H1) valid (``sympy.oo`` if none)."""
        check_scalar("H1", H1, low=0)
        return self._engine.phi(H1)

    def min_H1(self, H0: Any) -> Answer:
        """inf{H1 >= 0 : φ(H1) <= H0} (``sympy.oo`` if no H1 works with this H0)."""
        check_scalar("H0", H0, low=0)
        if is_symbolic(H0):
            raise NotImplementedError("min_H1 with a symbolic H0 is not supported")
        return self._engine.min_h1(float(H0))

    def holds(self, H0: Any, H1: Any) -> Verdict:
        """Whether ||∇²f|| <= H0 + H1(f − f*) everywhere on R^d, as a three-valued :class:`Verdict`
        (True / False proven, or undecided when the certified bracket of φ(H1) cannot separate H0).

        For a box-bracket certificate the global value is undecided unless the box proves it
        (a violation at H1 = 0, or φ(0) = ∞ along a ray); the box's own verdict is ``on_box``.
        """
        check_scalar("H0", H0, low=0)
        check_scalar("H1", H1, low=0)
        if is_symbolic(H0, H1):
            raise NotImplementedError("holds() needs numbers")
        return self._engine.holds(float(H0), float(H1))

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        fs = self.f_star.to_dict() if isinstance(self.f_star, Bracket) else str(self.f_star)
        return {"expr": str(self.expr), "symbols": [str(s) for s in self.symbols], "f_star": fs,
                "f_star_method": self.f_star_method, "f_star_attained": self.f_star_attained,
                "smooth": self.smooth, "smooth_reason": self.smooth_reason,
                "curvature": None if self.curvature is None else str(self.curvature),
                "method": self.method, "box": None if self.box is None else [list(b) for b in self.box]}


# --------------------------------------------------------------------------------------------
# public entry


def rational(x: float) -> sp.Rational:
    """The rational a float argument stands for: its shortest round-trip decimal
    (0.3 -> 3/10), so that exact answers stay readable.  (The float's binary value
    differs by less than one ulp.)"""
    return sp.Rational(repr(float(x)))


def bisect_min_h1(decide: Callable[[float, float], bool | None], H0: float,
                  infeasible_floor: float | None, method: str, rtol: float = _BISECT_RTOL) -> Answer:
    """Certified bracket of inf{H1 : φ(H1) <= H0} by bisection on certified decisions.

    ``decide(H1, H0)`` returns True if φ(H1) <= H0 is certified, False if φ(H1) > H0
    is certified, None if undecided.  φ is non-increasing, so a valid H1 bounds
    min_H1 from above and an invalid one from below.  ``infeasible_floor``: a
    proven lower bound of φ(H1) for every H1 (e.g. |f''| at a minimiser, where
    f − f* = 0); if H0 is below it no H1 works (``sympy.oo``).
    """
    if infeasible_floor is not None and H0 < infeasible_floor:
        return Answer(sp.oo, method,
                      f"H0 < {infeasible_floor:.6g} <= φ(H1) for every H1 (|∇²f| where f = f*)")
    if decide(0.0, H0):
        return Answer(sp.Integer(0), method, "φ(0) <= H0: H1 = 0 is valid")
    lo_h1, hi_h1 = 0.0, None
    h = 1.0
    for _ in range(16):
        d = decide(h, H0)
        if d:
            hi_h1 = h
            break
        if d is False:
            lo_h1 = h
        h *= 4.0
    if hi_h1 is None:
        return Answer(Bracket(lo_h1, math.inf), UNCERT,
                      f"no H1 <= {h / 4:.3g} certified valid; min_H1 >= {lo_h1:.6g}")
    gap: tuple[float, float] | None = None  # an undecided point: search each side of it
    for _ in range(60):
        if hi_h1 - lo_h1 <= rtol * max(1.0, hi_h1):
            break
        if gap is not None and not (lo_h1 < gap[0] and gap[1] < hi_h1):
            gap = None
        if gap is None:
            mid = 0.5 * (lo_h1 + hi_h1)
        else:  # alternate: approach the undecided point from below and from above
            a, b = 0.5 * (lo_h1 + gap[0]), 0.5 * (gap[1] + hi_h1)
            mid = a if (gap[0] - lo_h1) >= (hi_h1 - gap[1]) else b
            if max(gap[0] - lo_h1, hi_h1 - gap[1]) <= rtol * max(1.0, hi_h1):
                break
        d = decide(mid, H0)
        if d:
            hi_h1 = mid
        elif d is False:
            lo_h1 = mid
        else:
            gap = (mid, mid) if gap is None else (min(gap[0], mid), max(gap[1], mid))
    meth = BRACKET if method == EXACT else method
    return Answer(Bracket(lo_h1, hi_h1), meth, "bisection on certified decisions φ(H1) <= H0 (φ non-increasing)")
