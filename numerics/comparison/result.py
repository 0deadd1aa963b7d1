"""The result of :func:`~warmup_theory.numerics.comparison.compare` and its text, Markdown and JSON forms."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from warmup_theory.numerics.comparison.members import Member

__all__ = ["ScheduleComparison", "Comparison", "fmt_count"]


def fmt_count(x: float | int | None) -> str:
    """An iteration count for a table cell: integers with thousands separators, ∞ as 'inf', None as '-'.

    >>> fmt_count(203024.0), fmt_count(None), fmt_count(float("inf"))
    ('203,024', '-', 'inf')
    """
    if x is None:
        return "-"
    if x == float("inf"):
        return "inf"
    return f"{int(x):,}"


@dataclass(frozen=True)
class ScheduleComparison:
    """One schedule: its step rule, its proven bounds for the class, and the counts observed on each member.

    ``upper``: a proven K such that every member of the class started with gap <= gap0 (and, under θ-aiming,
    distance <= dist0) has f(w_k) − f* <= eps for k >= K; ``lower``: a proven count that GD with this step
    needs on some member (fixed steps only).  ``observed[m]``: the first k with gap_k <= eps on member m
    (None unless ``status[m] == "converged"``).  ``gap_increased[m]``: the run's gap went up at some step.
    """

    schedule: str
    step: str
    eta0: float
    upper: float | None
    upper_source: str
    lower: float | None
    lower_source: str
    observed: dict[str, int | None] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    gap_increased: dict[str, bool] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable fields (the keys of ``compare --json``)."""
        return {"schedule": self.schedule, "step": self.step, "eta0": self.eta0, "upper": self.upper,
                "upper_source": self.upper_source, "lower": self.lower, "lower_source": self.lower_source,
                "observed": dict(self.observed), "status": dict(self.status),
                "gap_increased": dict(self.gap_increased)}

    def observed_cell(self, member: str) -> str:
        """``'952'``, or the status when the run did not reach eps (``'max_iter'``, ``'diverged'``)."""
        if member not in self.status:
            return "n/a"
        k = self.observed.get(member)
        return fmt_count(k) if k is not None else self.status[member]


@dataclass(frozen=True)
class Comparison:
    """Warm-up vs fixed steps for one class (H0, H1, μ-PL or θ-aiming) and one accuracy: bounds and runs.

    ``provably_faster`` is True when the best proven warm-up count is below the proven lower bound of every
    class-stable fixed step, False when it is not, None when a bound is missing.  ``broken`` lists any
    observed count that contradicts a proven bound (empty unless a theorem of the toolkit fails).
    """

    inputs: dict[str, Any]
    members: tuple[Member, ...]
    rows: tuple[ScheduleComparison, ...]
    verdict: str
    provably_faster: bool | None
    broken: tuple[str, ...]
    max_iter: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable fields (``compare --json``)."""
        return {"inputs": dict(self.inputs), "members": [m.to_dict() for m in self.members],
                "rows": [r.to_dict() for r in self.rows], "verdict": self.verdict,
                "provably_faster": self.provably_faster, "broken": list(self.broken), "max_iter": self.max_iter,
                "seconds": self.seconds}

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        head = ["schedule", "step", "proven <=", "proven >="] + [f"obs. {m.name}" for m in self.members]
        body = [[r.schedule, r.step, fmt_count(r.upper), fmt_count(r.lower)]
                + [r.observed_cell(m.name) for m in self.members] for r in self.rows]
        return head, body

    def to_markdown(self) -> str:
        """A Markdown table, the members and the verdict."""
        head, body = self._cells()
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        lines += ["", "Members (each started with gap <= gap0):", ""]
        lines += [f"- **{m.name}**: `{m.expr}` from w0 = {m.w0:.6g} (gap {m.gap0:.6g}) — {m.why}" for m in self.members]
        lines += ["", f"**Verdict.** {self.verdict}"]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        head, body = self._cells()
        widths = [max(len(r[j]) for r in [head, *body]) for j in range(len(head))]
        fmt = "  ".join(f"{{:<{w}}}" if j < 2 else f"{{:>{w}}}" for j, w in enumerate(widths))
        lines = [fmt.format(*head).rstrip(), fmt.format(*("-" * w for w in widths))]
        lines += [fmt.format(*row).rstrip() for row in body]
        lines.append("proven >=: iterations GD with that fixed step needs on some member; obs.: iterations to eps "
                     "observed")
        lines += textwrap.wrap("verdict: " + self.verdict, width=118, subsequent_indent="  ")
        return "\n".join(lines)
