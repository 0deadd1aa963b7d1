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
* **descent** — every schedule whose proof rests on the descent lemma for the row's
  (H0, H1) — ``warmup`` (Eq. (1)), ``warmup-family`` and ``practical`` when their
  (a, b) = (alpha/H0, beta/H1) is admissible (a, b > 1/2,
  :func:`warmup_theory.theory.bounds.adaptive_family_admissible`), ``fixed-stable`` — never diverges
  and never increases the gap f(w_k) − f*: the run's ``gap_increased`` flag (the
  engine's rounding-aware monitor, :mod:`warmup_theory.numerics.gd`) must be False.  This check holds
  on rows without any upper bound too (e.g. aiming-only problems).
* **ordering** — a recursion bound iterates the same worst-case one-step
  recursion the closed form is proved from, so ``upper_recursive <= upper_closed``.

Each checker returns ``None`` (holds), a violation message, or — for the
undecidable case — an :class:`Unchecked` message.

**Estimated constants.**  A row whose constants include an estimate
(:meth:`~warmup_theory.numerics.table.rows.TableRow.estimated_names`: μ measured along a trajectory,
deep-linear (H0, H1) certified only on balanced weights) holds no theorem for the checks
that use those constants: such a failure is reported as *unchecked*, never as a
violation.  The bound checks use all constants; the descent / stability checks use
(H0, H1) only.  :func:`summary_line` counts these rows apart from the decided ones.

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
>>> check_descent("warmup", "converged", gap_increased=True, first_increase=7, applies=True)
'warmup increased the gap at step k=7 (f(w_8) - f* > f(w_7) - f*) although its proof rests on the descent lemma'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from warmup_theory.numerics.table.rows import Estimate, TableRow

__all__ = ["REL_SLACK", "Unchecked", "check_upper", "check_lower", "check_stable", "check_order",
           "check_descent", "descent_applies", "check_row", "mark_rows", "summary_line", "row_kind"]

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


def descent_applies(row: TableRow) -> bool:
    """Whether the row's schedule is proved through the descent lemma for (H0, H1) (module docstring).

    warmup and fixed-stable: always.  warmup-family / practical: when (a, b) = (alpha/H0, beta/H1) is
    admissible (a, b > 1/2); with H1 = 0 (beta = 0) only a matters.  A row without (alpha, beta) is taken
    to run the table's own member (:mod:`warmup_theory.numerics.table.spec`): the best proven (a, b) for warmup-family,
    (a', 2) with a' = 1 + 2·H1·(f* − f̂*)/H0 >= 1 for practical — both admissible.  fixed-oracle: never.
    """
    if row.schedule in ("warmup", "fixed-stable"):
        return True
    if row.schedule not in ("warmup-family", "practical"):
        return False
    if row.alpha is None or row.beta is None:
        return True
    from warmup_theory.theory.bounds import adaptive_family_admissible

    H0, H1 = _val(row.H0), _val(row.H1)
    if H0 is None or H1 is None or H0 <= 0:
        return False
    a = row.alpha / H0
    if H1 == 0:
        return row.beta == 0 and a > 0.5
    return bool(adaptive_family_admissible(a, row.beta / H1))


def _val(x: float | Estimate | None) -> float | None:
    if x is None:
        return None
    return float(x.value) if isinstance(x, Estimate) else float(x)


def check_descent(schedule: str, status: str, *, gap_increased: bool, first_increase: int = -1,
                  applies: bool = True) -> str | None:
    """A descent-lemma schedule never diverges and never increases the gap (``applies``: see
    :func:`descent_applies`).  A diverged ``fixed-stable`` run is left to :func:`check_stable`."""
    if not applies:
        return None
    if status == "diverged":
        if schedule == "fixed-stable":
            return None
        return f"{schedule} diverged although its proof rests on the descent lemma"
    if gap_increased:
        k = int(first_increase)
        at = f" at step k={k} (f(w_{k + 1}) - f* > f(w_{k}) - f*)" if k >= 0 else ""
        return f"{schedule} increased the gap{at} although its proof rests on the descent lemma"
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

    A check that uses a constant the row only estimated (:meth:`TableRow.estimated_names`) holds no
    theorem: its failure is reported as *unchecked* (with the reason), never as a violation.  Bound
    checks use every constant; the descent / stability checks use (H0, H1) only.
    """
    all_c = ("H0", "H1", "mu", "theta")
    smooth = ("H0", "H1")
    checks: list[tuple[str, tuple[str, ...], str | None]] = [
        ("upper_closed: ", all_c, check_upper(observed=row.observed, status=row.status, upper=row.upper_closed,
                                              max_iter=row.max_iter)),
        ("upper_recursive: ", all_c, check_upper(observed=row.observed, status=row.status,
                                                 upper=row.upper_recursive, max_iter=row.max_iter)),
        ("lower: ", all_c, check_lower(observed=row.observed, status=row.status, lower=row.lower,
                                       max_iter=row.max_iter)),
        ("", smooth, check_stable(row.schedule, row.status)),
        ("descent: ", smooth, check_descent(row.schedule, row.status, gap_increased=row.gap_increased,
                                            first_increase=row.first_increase, applies=descent_applies(row))),
        ("order: ", all_c, check_order(row.upper_recursive, row.upper_closed)),
    ]
    est = set(row.estimated_names())
    viol: list[str] = []
    unch: list[str] = []
    for tag, uses, m in checks:
        if m is None:
            continue
        if isinstance(m, Unchecked):
            unch.append(tag + m)
        elif est & set(uses):
            unch.append(tag + m + f" [uses an estimated constant ({', '.join(sorted(est & set(uses)))}): "
                        "not a theorem check]")
        else:
            viol.append(tag + m)
    return tuple(viol), tuple(unch)


def mark_rows(rows: Iterable[TableRow]) -> list[TableRow]:
    """Return the rows with ``violations`` / ``unchecked`` filled in by :func:`check_row`."""
    out = []
    for r in rows:
        v, u = check_row(r)
        out.append(r.with_(violations=v, unchecked=u))
    return out


def row_kind(row: TableRow) -> str:
    """``"broken"`` (a violation), ``"estimated"`` (rests on estimated constants, no violation),
    ``"undecided"`` (a check the run could not decide, e.g. max_iter below a bound) or ``"decided"``."""
    if row.violations:
        return "broken"
    if row.estimated_names():
        return "estimated"
    if row.unchecked:
        return "undecided"
    return "decided"


def summary_line(rows: Sequence[TableRow]) -> str:
    """One line: decided rows, broken rows (loud), rows on estimated constants, undecided rows.

    Only *decided* rows (certified constants, every check decided) count towards "invariants hold";
    rows resting on estimated constants are counted apart (they are comparisons, not theorem checks).

    >>> from warmup_theory.numerics.table.rows import Estimate, TableRow
    >>> r = TableRow("p", "warmup", 1.0, 0.0, 1.0, None, 1.0, 1e-3, 30, "converged", upper_closed=2.0)
    >>> summary_line(mark_rows([r]))
    'INVARIANTS BROKEN: 1 of 1 rows (upper_closed: observed 30 > upper bound 2 (ceil 2) [p / warmup])'
    >>> e = r.with_(mu=Estimate(0.5, 0.0, 0.5, "trajectory"), observed=1)
    >>> summary_line(mark_rows([r.with_(observed=2), e]))
    'invariants hold on all 1 decided rows; 1 rows rest on estimated constants (not theorem checks)'
    """
    kinds = [row_kind(r) for r in rows]
    bad = [r for r, k in zip(rows, kinds) if k == "broken"]
    n_dec, n_est, n_unch = kinds.count("decided"), kinds.count("estimated"), kinds.count("undecided")
    extra = ""
    if n_est:
        extra += f"; {n_est} rows rest on estimated constants (not theorem checks)"
    if n_unch:
        extra += f"; {n_unch} rows undecided (max_iter below a bound)"
    if not bad:
        if n_dec == 0:
            return f"NO ROW DECIDED: 0 of {len(rows)} rows decided{extra}"
        return f"invariants hold on all {n_dec} decided rows{extra}"
    first = "; ".join(f"{v} [{r.problem} / {r.schedule}]" for r in bad[:3] for v in r.violations[:1])
    return f"INVARIANTS BROKEN: {len(bad)} of {len(rows)} rows ({first}){extra}"
