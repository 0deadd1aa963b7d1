"""Invariants every table row must satisfy — pure functions, no GD, no I/O.

What a row promises, and how each promise is checked:

* **upper bound** — a proven bound ``K`` says ``f(w_k) − f* <= eps`` for every
  ``k >= K``; the observed first hitting index must therefore satisfy
  ``observed <= ceil(K)`` (a relative slack of 1e-9 absorbs float rounding of
  ``K`` itself, never of the count).  A run that diverged, or stopped at
  ``max_iter >= ceil(K)`` without converging, breaks the bound too.  A run that
  stopped at ``max_iter < ceil(K)`` cannot decide it: reported as *unchecked*.
* **lower bound** (witness rows only) — GD needs at least ``L`` iterations:
  ``observed >= L`` (same slack); a run that hit ``max_iter >= L`` satisfies it.
* **stability** — a class-stable fixed step (schedule ``fixed-stable``) never
  diverges on a member of the class.
* **ordering** — a recursion bound iterates the same worst-case one-step
  recursion the closed form is proved from, so ``upper_recursive <= upper_closed``.

Each checker returns ``None`` (holds), a violation message, or — for the
undecidable case — an :class:`Unchecked` message.

>>> check_upper(observed=12, status="converged", upper=11.2, max_iter=100) is None
True
>>> check_upper(observed=13, status="converged", upper=11.2, max_iter=100)
'observed 13 > upper bound 11.2 (ceil 12)'
>>> check_upper(observed=12, status="converged", upper=11.2 / 10, max_iter=100)  # a wrong bound
'observed 12 > upper bound 1.12 (ceil 2)'
>>> check_lower(observed=5, status="converged", lower=9.0, max_iter=100)
'observed 5 < lower bound 9'
>>> check_stable("fixed-stable", "diverged")
'class-stable fixed step diverged'
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

from numerics.table.rows import Estimate, TableRow

__all__ = ["REL_SLACK", "Unchecked", "check_upper", "check_lower", "check_stable", "check_order",
           "check_row", "mark_rows", "summary_line"]

#: Relative slack on a bound's value (float rounding of the bound formula, not of the count).
REL_SLACK = 1e-9


class Unchecked(str):
    """A message for an invariant that the run could not decide (not a violation)."""


def _num(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def check_upper(*, observed: int | None, status: str, upper: float | None,
                max_iter: int | None) -> str | None:
    """``observed <= ceil(upper)``; divergence or stalling past the bound is a violation."""
    u = _num(upper)
    if u is None:
        return None
    if math.isinf(u):
        return None if u > 0 else "upper bound is -inf"
    if u < 0:
        return f"upper bound {u:.6g} is negative"
    ceil_u = math.ceil(u * (1 - REL_SLACK) - REL_SLACK)
    ceil_u = max(ceil_u, 0)
    if status == "converged":
        if observed is None:
            return "converged row without an observed count"
        if observed > ceil_u:
            return f"observed {observed} > upper bound {u:.6g} (ceil {ceil_u})"
        return None
    if status == "diverged":
        return f"diverged although the upper bound {u:.6g} applies"
    # max_iter
    if max_iter is not None and max_iter >= ceil_u:
        return f"not converged after max_iter={max_iter} >= upper bound {u:.6g}"
    return Unchecked(f"max_iter={max_iter} < upper bound {u:.6g}: undecided")


def check_lower(*, observed: int | None, status: str, lower: float | None,
                max_iter: int | None) -> str | None:
    """Witness rows: GD needs at least ``lower`` iterations."""
    lo = _num(lower)
    if lo is None:
        return None
    if status == "converged":
        if observed is None:
            return "converged row without an observed count"
        if observed < lo * (1 - REL_SLACK) - REL_SLACK:
            return f"observed {observed} < lower bound {lo:.6g}"
        return None
    if status == "max_iter":
        if max_iter is not None and max_iter + 1 >= lo:
            return None  # never reached eps within max_iter >= lower - 1 iterations
        return Unchecked(f"max_iter={max_iter} < lower bound {lo:.6g}: undecided")
    return None  # diverged: never reaches eps, so it needs more than any count (stability is checked apart)


def check_stable(schedule: str, status: str) -> str | None:
    """A class-stable fixed step never diverges."""
    if schedule == "fixed-stable" and status == "diverged":
        return "class-stable fixed step diverged"
    return None


def check_order(upper_recursive: float | None, upper_closed: float | None) -> str | None:
    """``upper_recursive <= upper_closed`` (both proven; the recursion is the sharper one)."""
    r, c = _num(upper_recursive), _num(upper_closed)
    if r is None or c is None:
        return None
    if r > c * (1 + REL_SLACK) + REL_SLACK:
        return f"recursion bound {r:.6g} > closed-form bound {c:.6g}"
    return None


def check_row(row: TableRow) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All invariants of one row → (violations, unchecked).

    A row whose constants include an :class:`~numerics.table.rows.Estimate` (e.g. μ measured along a
    trajectory) holds no theorem: a failed check there is reported as *unchecked* (with the reason),
    never as a violation.
    """
    msgs: list[str | None] = [
        check_upper(observed=row.observed, status=row.status, upper=row.upper_closed, max_iter=row.max_iter),
        check_upper(observed=row.observed, status=row.status, upper=row.upper_recursive, max_iter=row.max_iter),
        check_lower(observed=row.observed, status=row.status, lower=row.lower, max_iter=row.max_iter),
        check_stable(row.schedule, row.status),
        check_order(row.upper_recursive, row.upper_closed),
    ]
    tags = ["upper_closed: ", "upper_recursive: ", "lower: ", "", "order: "]
    viol = tuple(t + m for t, m in zip(tags, msgs) if m is not None and not isinstance(m, Unchecked))
    unch = tuple(t + m for t, m in zip(tags, msgs) if isinstance(m, Unchecked))
    if any(isinstance(getattr(row, k), Estimate) for k in ("H0", "H1", "mu", "theta")):
        unch = unch + tuple(v + " [bound uses an estimated constant: not a theorem check]" for v in viol)
        viol = ()
    return viol, unch


def mark_rows(rows: Iterable[TableRow]) -> list[TableRow]:
    """Return the rows with ``violations`` / ``unchecked`` filled in by :func:`check_row`."""
    out = []
    for r in rows:
        v, u = check_row(r)
        out.append(r.with_(violations=v, unchecked=u))
    return out


def summary_line(rows: Sequence[TableRow]) -> str:
    """One line: how many rows, how many broke an invariant (loud), how many undecided.

    >>> from numerics.table.rows import Estimate, TableRow
    >>> r = TableRow("p", "warmup", 1.0, 0.0, 1.0, None, 1.0, 1e-3, 30, "converged", upper_closed=2.0)
    >>> summary_line(mark_rows([r]))
    'INVARIANTS BROKEN: 1 of 1 rows (upper_closed: observed 30 > upper bound 2 (ceil 2) [p / warmup])'
    """
    bad = [r for r in rows if r.violations]
    unch = sum(bool(r.unchecked) for r in rows)
    extra = f"; {unch} rows undecided (max_iter below a bound)" if unch else ""
    if not bad:
        return f"invariants hold on all {len(rows)} rows{extra}"
    first = "; ".join(f"{v} [{r.problem} / {r.schedule}]" for r in bad[:3] for v in r.violations[:1])
    return f"INVARIANTS BROKEN: {len(bad)} of {len(rows)} rows ({first}){extra}"
