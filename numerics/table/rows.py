"""One row of the predicted-vs-observed table, and the CSV column contract.

A row pairs one problem with one step-size schedule.  ``observed`` is the first
iteration ``k`` with ``f(w_k) − f* <= eps`` (0 when the start point already
satisfies it), empty unless ``status == "converged"``.  ``upper_closed`` and
``upper_recursive`` are proven upper bounds on that count for this schedule
(closed form / iterated one-step recursion, ``theory.bounds``); ``lower`` is a
lower bound, filled only on the row of a lower bound's witness.  Empty cells
(``None``) mean the bound does not apply.

>>> r = TableRow(problem="cosh", schedule="warmup", H0=1.0, H1=1.0, mu=None,
...              theta=1.0, gap0=10.0, eps=1e-6, observed=42, status="converged")
>>> r.csv_cells()[:4]
['cosh', 'warmup', '1', '1']
>>> CSV_COLUMNS[:3]
('problem', 'schedule', 'H0')
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

__all__ = ["CSV_COLUMNS", "SCHEDULES", "STATUSES", "TableRow", "Estimate", "fmt_num"]

#: The CSV header, in this exact order (a contract with users' scripts).
CSV_COLUMNS: tuple[str, ...] = (
    "problem", "schedule", "H0", "H1", "mu", "theta", "gap0", "eps", "observed", "status",
    "upper_closed", "upper_recursive", "lower", "seconds", "seed", "device",
)

#: Valid schedule names, in display order.
SCHEDULES: tuple[str, ...] = ("warmup", "warmup-family", "fixed-stable", "fixed-oracle", "practical")

STATUSES: tuple[str, ...] = ("converged", "diverged", "max_iter")


@dataclass(frozen=True)
class Estimate:
    """A constant that could only be estimated: point value and its bracket [lo, hi].

    ``how`` says how it was measured (e.g. "min of |∇f|²/(2(f−f*)) over the
    trajectory").  Rendered as ``~value [lo, hi]`` so no reader mistakes it for a
    certified constant.

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
    ``violations`` (filled by :func:`numerics.table.invariants.mark_rows`),
    ``unchecked`` (an invariant that could not be decided, e.g. max_iter below a bound).
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

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.status == "converged" and self.observed is None:
            raise ValueError("observed must be set when status == 'converged'")

    def csv_cells(self) -> list[str]:
        """The CSV cells in :data:`CSV_COLUMNS` order."""
        return [self.problem if c == "problem" else self.schedule if c == "schedule"
                else self.status if c == "status" else self.device if c == "device"
                else _csv_num(getattr(self, c)) for c in CSV_COLUMNS]

    def with_(self, **kw: Any) -> "TableRow":
        return replace(self, **kw)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for k, v in asdict(self).items():
            d[k] = list(v) if isinstance(v, tuple) else v
        for k in ("H0", "H1", "mu", "theta"):
            v = getattr(self, k)
            if isinstance(v, Estimate):
                d[k] = {"estimate": v.to_dict()}
        return d
