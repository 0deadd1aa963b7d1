"""Writers for the table: Markdown, CSV and LaTeX (and the JSON sidecar).

Every file records the toolkit version, the seed(s) and the device:

* CSV — the first line is exactly :data:`~warmup_theory.numerics.table.rows.CSV_HEADER`: the
  contract columns :data:`~warmup_theory.numerics.table.rows.CSV_COLUMNS`, then ONE trailing column
  ``invariants`` (``ok`` / ``broken: …`` / ``undecided: …``); the metadata follows the
  data as ``#`` comment lines (read the file with ``pandas.read_csv(path, comment="#")``
  or skip lines starting with ``#``).
* Markdown / LaTeX — a metadata line above the table; the first (unnamed) column is
  the row's marker: ``!`` a row that breaks an invariant, ``?`` a row that rests on
  estimated constants or has an undecided check (max_iter below a bound), empty when
  every check is decided and holds.  Estimated constants are shown with a leading
  ``~`` (an :class:`~warmup_theory.numerics.table.rows.Estimate` as ``~value [lo, hi]``).  Every
  ``!`` / ``?`` is explained in a list below the table, after the summary line.
* JSON — the full rows (with notes, estimate brackets, violations) and metadata.

>>> from warmup_theory.numerics.table.rows import TableRow
>>> r = TableRow("cosh_H0=1", "warmup", 1.0, 1.0, None, 1.0, 9.5, 1e-6, 17, "converged",
...              upper_closed=40.2, seed=0, device="cpu")
>>> print(to_csv([r], {"version": "0.1.0", "seed": 0, "device": "cpu"}).splitlines()[1])
cosh_H0=1,warmup,1,1,,1,9.5,1e-06,17,converged,40.2,,,0,0,cpu,ok
>>> latex_escape("a_b & 50% #1")
'a\\\\_b \\\\& 50\\\\% \\\\#1'
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from warmup_theory.numerics.table.invariants import row_kind, summary_line
from warmup_theory.numerics.table.rows import CSV_HEADER, Estimate, TableRow, fmt_num

__all__ = ["FORMATS", "to_markdown", "to_csv", "to_latex", "to_json", "latex_escape", "mark", "meta_line"]

FORMATS: tuple[str, ...] = ("md", "csv", "tex")

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters (``\\ & % $ # _ { } ~ ^``) in plain text."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def meta_line(meta: Mapping[str, Any]) -> str:
    """``warmup-theory <version> | seed=… | device=… | …`` from the metadata dict."""
    parts = [f"warmup-theory {meta.get('version', '?')}"]
    parts += [f"{k}={v}" for k, v in meta.items() if k != "version"]
    return " | ".join(parts)


_MD_COLS = ("problem", "schedule", "H0", "H1", "mu", "theta", "gap0", "eps", "observed", "status",
            "upper_closed", "upper_recursive", "lower", "seconds")


def _cell(row: TableRow, col: str) -> str:
    v = getattr(row, col)
    if col == "seconds":
        return f"{v:.2f}"
    if col in ("problem", "schedule", "status"):
        return str(v)
    if col in row.estimated and v is not None and not isinstance(v, Estimate):
        return "~" + fmt_num(v)
    return fmt_num(v)


def mark(row: TableRow) -> str:
    """``!`` broken, ``?`` rests on estimated constants or undecided, ``""`` decided and holding."""
    return {"broken": "!", "estimated": "?", "undecided": "?"}.get(row_kind(row), "")


def to_markdown(rows: Sequence[TableRow], meta: Mapping[str, Any]) -> str:
    """A GitHub Markdown table; ``!`` marks rows that break an invariant, ``?`` rows resting on
    estimated constants or with an undecided check (module docstring)."""
    lines = [f"<!-- {meta_line(meta)} -->", "", f"_{meta_line(meta)}_", ""]
    head = ("", *_MD_COLS)
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] * len(head)) + "|")
    for r in rows:
        m = mark(r)
        prob = r.problem + (" (witness)" if r.witness else "")
        cells = [m, prob] + [_cell(r, c) for c in _MD_COLS[1:]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", summary_line(rows)]
    for r in rows:
        for v in r.violations:
            lines.append(f"- ! {r.problem} / {r.schedule}: {v}")
        for u in r.unchecked:
            lines.append(f"- ? {r.problem} / {r.schedule}: {u}")
        est = r.estimated_names()
        if est and not any("estimated" in u for u in r.unchecked):
            lines.append(f"- ? {r.problem} / {r.schedule}: rests on estimated constants ({', '.join(est)}): "
                         "its bounds are comparisons, not theorem checks")
    notes = [(r.problem, r.schedule, r.notes) for r in rows if r.notes]
    if notes:
        lines += ["", "Notes:"]
        seen = set()
        for p, s, n in notes:
            if (p, n) in seen:
                continue
            seen.add((p, n))
            lines.append(f"- {p} / {s}: {n}")
    return "\n".join(lines) + "\n"


def to_csv(rows: Sequence[TableRow], meta: Mapping[str, Any]) -> str:
    """CSV with the exact header, one line per row, then ``#`` metadata lines."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for r in rows:
        w.writerow(r.csv_cells())
    buf.write(f"# {meta_line(meta)}\n")
    buf.write(f"# {summary_line(rows)}\n")
    return buf.getvalue()


_TEX_COLS = ("problem", "schedule", "H0", "H1", "mu", "theta", "gap0", "eps", "observed", "status",
             "upper_closed", "upper_recursive", "lower")
_TEX_HEAD = ("problem", "schedule", "$H_0$", "$H_1$", r"$\mu$", r"$\theta$", r"$\Delta_0$",
             r"$\varepsilon$", "observed", "status", "upper (closed)", "upper (rec.)", "lower")


def to_latex(rows: Sequence[TableRow], meta: Mapping[str, Any]) -> str:
    """A ``tabular`` (booktabs rules); first column ``!`` (broken) / ``?`` (estimated or undecided)."""
    out = [f"% {meta_line(meta)}", f"% {summary_line(rows)}",
           r"\begin{tabular}{l" + "l" * len(_TEX_COLS) + "}", r"\toprule",
           " & " + " & ".join(_TEX_HEAD) + r" \\", r"\midrule"]
    for r in rows:
        cells = [latex_escape(mark(r))]
        for c in _TEX_COLS:
            txt = _cell(r, c)
            if c == "problem" and r.witness:
                txt += " (witness)"
            cells.append(latex_escape(txt))
        out.append(" & ".join(cells) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(out) + "\n"


def _json_default(o: Any) -> Any:
    if isinstance(o, Estimate):
        return o.to_dict()
    if isinstance(o, float) and not math.isfinite(o):
        return str(o)
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


def to_json(rows: Sequence[TableRow], meta: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> str:
    """Full rows and metadata as JSON (machine-readable companion of the CSV)."""
    doc = {"meta": dict(meta), "summary": summary_line(rows), "columns": list(CSV_HEADER),
           "rows": [r.to_dict() for r in rows]}
    if extra:
        doc.update(extra)
    return json.dumps(doc, indent=1, default=_json_default)
