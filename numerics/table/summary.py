"""The on-screen summary of ``warmup-theory table``: at most :data:`MAX_LINES` lines of at most :data:`WIDTH`
characters (the full table, its notes and every ``!`` / ``?`` explanation go to ``table.md`` and to
``--verbose``).

One line per problem, one column per schedule; a cell is ``observed/upper`` — the observed count (first k
with f(w_k) − f* <= eps) over the smallest proven upper bound of the row (closed form or recursion), ``-``
when no bound applies — then ``>=lower`` on a lower bound's witness row; ``div`` a diverged run, ``>N`` a run
stopped at max_iter N.  A cell starts with ``!`` when its row breaks an invariant, ``?`` when it rests on
estimated constants or has an undecided check (as in the Markdown table).

>>> from warmup_theory.numerics.table.rows import TableRow
>>> r = TableRow("cosh", "warmup", 1.0, 1.0, 1.0, 1.0, 100.0, 1e-4, 127, "converged",
...              upper_closed=4152.0, upper_recursive=1121.0)
>>> cell(r)
'127/1121'
>>> lines = summary_lines([r], {"version": "0.2.0", "seed": 0, "device": "cpu", "seconds": 1.5})
>>> lines[0]
'warmup-theory 0.2.0 | seed=0 | device=cpu | 1.5 s'
>>> lines[3].split()
['cosh', '127/1121']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from warmup_theory.numerics.table.formats import mark
from warmup_theory.numerics.table.invariants import summary_line
from warmup_theory.numerics.table.rows import SCHEDULES, TableRow, fmt_num

__all__ = ["MAX_LINES", "WIDTH", "cell", "fit", "short_name", "summary_lines"]

#: Longest on-screen line.
WIDTH = 120
#: Most on-screen lines (the summary, the invariants, the sweeps' findings and the "wrote …" line).
MAX_LINES = 40
_PROBLEM_W = 40
_CELL_W = 16


def fit(line: str, width: int = WIDTH) -> str:
    """``line`` cut to ``width`` characters; an ellipsis marks a cut."""
    return line if len(line) <= width else line[: width - 1] + "…"


def short_name(name: str, width: int = _PROBLEM_W - 1) -> str:
    """``name`` cut in the middle to ``width`` characters, keeping its last 10 (where instances differ).

    >>> short_name("aiming_witness(H0=1,H1=1,class gap0=100)")
    'aiming_witness(H0=1,H1=1,cla… gap0=100)'
    """
    if len(name) <= width:
        return name
    return name[: width - 11] + "…" + name[-10:]


def _count(x: Any) -> str:
    return fmt_num(x) if x is not None else "-"


def cell(row: TableRow) -> str:
    """``mark + observed/upper[>=lower]`` for one row (module docstring)."""
    if row.status == "diverged":
        obs = "div"
    elif row.status == "max_iter":
        obs = f">{row.observed}" if row.observed is not None else ">max"
    else:
        obs = _count(row.observed)
    ups = [u for u in (row.upper_closed, row.upper_recursive) if u is not None]
    text = f"{obs}/{_count(min(ups))}" if ups else obs
    if row.lower is not None:
        text += f">={_count(row.lower)}"
    return mark(row) + text


def summary_lines(rows: Sequence[TableRow], meta: Mapping[str, Any], *, extra: Sequence[str] = (),
                  footer: Sequence[str] = ()) -> list[str]:
    """The on-screen lines: metadata, legend, one line per problem (as many as fit), the invariants line,
    then ``extra`` (sweeps, missing families: cut to fit) and ``footer`` (kept); <= MAX_LINES lines in all."""
    tag = " | ".join([f"warmup-theory {meta.get('version', '?')}"]
                     + [f"{k}={meta[k]}" for k in ("seed", "device", "quick") if k in meta])
    if "seconds" in meta:
        tag += f" | {meta['seconds']} s"
    schedules = [s for s in SCHEDULES if any(r.schedule == s for r in rows)]
    problems: dict[str, dict[str, TableRow]] = {}
    for r in rows:
        problems.setdefault(r.problem, {})[r.schedule] = r
    head = [fit(tag), fit("cell: observed/best proven upper (>=lower: witness row; -: none proven; div, >N: not "
                          "converged); ! broken, ? estimated"),
            fit(f"{'problem':<{_PROBLEM_W}}" + "".join(f"{s:<{_CELL_W}}" for s in schedules).rstrip())]
    tail = [fit(summary_line(rows))]
    for r in rows:
        for v in r.violations:
            tail.append(fit(f"! {r.problem} / {r.schedule}: {v}"))
    room = MAX_LINES - len(head) - len(footer)
    body = []
    names = list(problems)
    n_show = max(1, min(len(names), room - min(len(tail), 4) - 1))
    if n_show < len(names):
        n_show -= 1  # keep a line for the "more problems" note
    for name in names[:n_show]:
        label = short_name(name)
        cells = "".join(f"{cell(problems[name][s]) if s in problems[name] else '':<{_CELL_W - 1}} " for s in schedules)
        body.append(fit(f"{label:<{_PROBLEM_W}}{cells}".rstrip()))
    if n_show < len(names):
        body.append(f"… {len(names) - n_show} more problems (table.md, --verbose)")
    room -= len(body)
    lines = head + body
    rest = [*tail, *(fit(x) for x in extra)]
    if len(rest) > room:
        rest = rest[: max(room - 1, 0)] + [f"… {len(rest) - room + 1} more lines in table.md (--verbose)"]
    return lines + rest[:room] + [fit(x) for x in footer]
