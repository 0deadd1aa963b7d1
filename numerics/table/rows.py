"""One row of the predicted-vs-observed table, and the CSV column contract.

A row pairs one problem with one step-size schedule.  ``observed`` is the first
iteration ``k`` with ``f(w_k) − f* <= eps`` (0 when the start point already
satisfies it), empty unless ``status == "converged"``.  ``upper_closed`` and
``upper_recursive`` are proven upper bounds on that count for this schedule
(closed form / iterated one-step recursion, ``warmup_theory.theory.bounds``); ``lower`` is a
lower bound, filled only on the row of a lower bound's witness.  Empty cells
(``None``) mean the bound does not apply.

>>> r = TableRow(problem="cosh", schedule="warmup", H0=1.0, H1=1.0, mu=None,
...              theta=1.0, gap0=10.0, eps=1e-6, observed=42, status="converged")
>>> r.csv_cells()[:4]
['cosh', 'warmup', '1', '1']
>>> CSV_COLUMNS[:3], CSV_HEADER[-2:]
(('problem', 'schedule', 'H0'), ('device', 'invariants'))

The CSV header is :data:`CSV_COLUMNS` (a fixed contract) followed by ONE trailing column
``invariants``: ``ok``, ``broken: …`` (a proven statement failed) or ``undecided: …`` (the run
could not decide a check, or the row rests on estimated constants).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

__all__ = ["CSV_COLUMNS", "CSV_HEADER", "SCHEDULES", "STATUSES", "TableRow", "Estimate", "fmt_num"]

#: The CSV header, in this exact order (a contract with users' scripts).
CSV_COLUMNS: tuple[str, ...] = (
    "problem", "schedule", "H0", "H1", "mu", "theta", "gap0", "eps", "observed", "status",
    "upper_closed", "upper_recursive", "lower", "seconds", "seed", "device",
)
#: The full CSV header: the contract columns, then the row's invariant verdict.
CSV_HEADER: tuple[str, ...] = CSV_COLUMNS + ("invariants",)
#: Constants a row can carry (an entry of ``TableRow.estimated`` names one of them).
CONSTANTS: tuple[str, ...] = ("H0", "H1", "mu", "theta")

#: Valid schedule names, in display order.
SCHEDULES: tuple[str, ...] = ("warmup", "warmup-family", "fixed-stable", "fixed-oracle", "practical")

STATUSES: tuple[str, ...] = ("converged", "diverged", "max_iter")


@dataclass(frozen=True)
class Estimate:
    """A constant that could only be estimated: point value and an interval [lo, hi] holding it.

    ``how`` says how it was measured.  Rendered as ``~value [lo, hi]`` so no reader mistakes it
    for a certified constant.  For the PL constant measured along one GD run (the table's
    network rows) the ratio |∇f|²/(2(f − f*)) at the visited iterates only bounds μ from ABOVE:
    μ <= min over the trajectory, and nothing better than 0 is known below, so those rows use
    ``Estimate(m, 0.0, m)`` (shown ``~m [0, m]``) with m = that minimum; bounds computed with
    the point value m are optimistic and are never checked as theorems.

    >>> str(Estimate(0.5, 0.4, 0.9, "sampled"))
    '~0.5 [0.4, 0.9]'
    """

    value: float
    lo: float
    hi: float
    how: str = ""

    def __str__(self) -> str:
        return f"~{fmt_num(self.value)} [{fmt_num(self.lo)}, {fmt_num(self.hi)}]"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        return asdict(self)


def fmt_num(x: Any, digits: int = 4) -> str:
    """Short human form of a number: integers stay integers, floats get ``digits`` significant digits.

    >>> fmt_num(3.0), fmt_num(1234567.0), fmt_num(0.000123456), fmt_num(None)
    ('3', '1.235e+06', '0.0001235', '')
    """
    if x is None:
        return ""
    if isinstance(x, Estimate):
        return str(x)
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    xf = float(x)
    if math.isnan(xf):
        return "nan"
    if math.isinf(xf):
        return "inf" if xf > 0 else "-inf"
    if xf.is_integer() and abs(xf) < 1e6:
        return str(int(xf))
    return f"{xf:.{digits}g}"


def _csv_num(x: Any) -> str:
    """Full-precision CSV cell (``repr`` of a float round-trips exactly)."""
    if x is None:
        return ""
    if isinstance(x, Estimate):
        return str(x)
    if isinstance(x, (bool, str)):
        return str(x)
    if isinstance(x, int):
        return str(x)
    xf = float(x)
    if xf.is_integer() and abs(xf) < 1e15:
        return str(int(xf))
    return repr(xf)


@dataclass(frozen=True)
class TableRow:
    """One (problem, schedule) row.  Fields up to ``device`` are the CSV columns.

    Extra fields (JSON / Markdown only): ``witness`` (this row is a lower bound's
    witness), ``notes`` (provenance of constants, oracle step, estimate labels),
    ``eta`` (the step: constant or the schedule's (alpha, beta) form),
    ``violations`` (filled by :func:`warmup_theory.numerics.table.invariants.mark_rows`),
    ``unchecked`` (an invariant that could not be decided, e.g. max_iter below a bound),
    ``gap_increased`` / ``first_increase`` (the engine's rounding-aware monitor of
    f(w_{k+1}) − f* > f(w_k) − f*, :class:`warmup_theory.numerics.gd.GDBatchResult`; first_increase = −1 if none),
    ``estimated`` (names from :data:`CONSTANTS` whose value is NOT certified for this run — an
    :class:`Estimate` field is always counted, see :meth:`estimated_names`).
    """

    problem: str
    schedule: str
    H0: float | Estimate | None
    H1: float | Estimate | None
    mu: float | Estimate | None
    theta: float | Estimate | None
    gap0: float
    eps: float
    observed: int | None
    status: str
    upper_closed: float | None = None
    upper_recursive: float | None = None
    lower: float | None = None
    seconds: float = 0.0
    seed: int = 0
    device: str = "cpu"
    witness: bool = False
    max_iter: int | None = None
    alpha: float | None = None
    beta: float | None = None
    notes: str = ""
    violations: tuple[str, ...] = field(default_factory=tuple)
    unchecked: tuple[str, ...] = field(default_factory=tuple)
    gap_increased: bool = False
    first_increase: int = -1
    estimated: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.status == "converged" and self.observed is None:
            raise ValueError("observed must be set when status == 'converged'")
        bad = [e for e in self.estimated if e not in CONSTANTS]
        if bad:
            raise ValueError(f"estimated must name constants among {CONSTANTS}, got {bad}")

    def estimated_names(self) -> tuple[str, ...]:
        """Constants of this row that are estimates (``estimated`` plus every :class:`Estimate` field)."""
        return tuple(c for c in CONSTANTS if c in self.estimated or isinstance(getattr(self, c), Estimate))

    def invariants_cell(self) -> str:
        """``ok`` / ``broken: …`` / ``undecided: …`` (the CSV's trailing ``invariants`` column).

        ``broken`` lists the violations; ``undecided`` the checks the run could not decide and, when
        the row rests on estimated constants, which ones (such a row never reads ``ok``).
        """
        if self.violations:
            return "broken: " + "; ".join(self.violations)
        est = self.estimated_names()
        why = list(self.unchecked)
        if est:
            why.append(f"rests on estimated constants ({', '.join(est)}): not theorem checks")
        return "undecided: " + "; ".join(why) if why else "ok"

    def csv_cells(self) -> list[str]:
        """The CSV cells in :data:`CSV_HEADER` order (the contract columns, then ``invariants``)."""
        return [self.problem if c == "problem" else self.schedule if c == "schedule"
                else self.status if c == "status" else self.device if c == "device"
                else _csv_num(getattr(self, c)) for c in CSV_COLUMNS] + [self.invariants_cell()]

    def with_(self, **kw: Any) -> TableRow:
        """A copy with the given fields replaced (``dataclasses.replace``)."""
        return replace(self, **kw)

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""
        d: dict[str, Any] = {}
        for k, v in asdict(self).items():
            d[k] = list(v) if isinstance(v, tuple) else v
        for k in ("H0", "H1", "mu", "theta"):
            v = getattr(self, k)
            if isinstance(v, Estimate):
                d[k] = {"estimate": v.to_dict()}
        d["estimated"] = list(self.estimated_names())
        d["invariants"] = self.invariants_cell()
        return d
