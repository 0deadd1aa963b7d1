"""Writers: CSV header and cells, Markdown markers, LaTeX escaping."""

import csv
import io

from warmup_theory.numerics.table.formats import latex_escape, to_csv, to_latex, to_markdown
from warmup_theory.numerics.table.invariants import mark_rows
from warmup_theory.numerics.table.rows import CSV_COLUMNS, CSV_HEADER, Estimate, TableRow, fmt_num

META = {"version": "9.9.9", "seed": 7, "device": "cpu"}


def _rows():
    good = TableRow("cosh_1 & 50%", "warmup", 1.0, 1.0, 1.0, 1.0, 100.0, 1e-6, 149, "converged",
                    upper_closed=4244.0, upper_recursive=1143.0, seed=7)
    bad = TableRow("quad#2", "fixed-stable", 4.0, 0.0, 0.5, None, 10.0, 1e-6,
                   60, "converged", upper_closed=5.0, seed=7, witness=True, lower=3.0)
    est = TableRow("net", "warmup", 4.0, 1.0, Estimate(0.5, 0.4, 0.9, "trajectory"), None, 10.0, 1e-2,
                   60, "converged", upper_closed=5.0, seed=7)   # estimated mu: a failed check is only '?'
    return mark_rows([good, bad, est])


def test_latex_escape_all_specials():
    assert latex_escape(r"a_b&c%d$e#f{g}h~i^j\k") == \
        r"a\_b\&c\%d\$e\#f\{g\}h\textasciitilde{}i\textasciicircum{}j\textbackslash{}k"


def test_latex_table_escapes_and_marks():
    tex = to_latex(_rows(), META)
    assert r"cosh\_1 \& 50\%" in tex and r"quad\#2 (witness)" in tex
    assert r"\begin{tabular}" in tex and r"\end{tabular}" in tex
    assert "% warmup-theory 9.9.9 | seed=7 | device=cpu" in tex
    body = [line for line in tex.splitlines() if "(witness)" in line][0]
    assert body.startswith("! &")
    # no unescaped special character survives in a data line (outside the column separators)
    for line in tex.splitlines():
        if "cosh" in line:
            assert "50%" not in line and " & 50" not in line.replace(r"\& 50", "")


def test_csv_exact_header_full_precision_and_meta():
    text = to_csv(_rows(), META)
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_HEADER)
    rec = list(csv.reader(io.StringIO("\n".join(lines[1:3]))))
    assert rec[0][0] == "cosh_1 & 50%" and rec[0][CSV_COLUMNS.index("eps")] == "1e-06"
    assert rec[1][CSV_COLUMNS.index("theta")] == ""                     # empty cell: does not apply
    est = list(csv.reader(io.StringIO(lines[3])))[0]
    assert est[CSV_COLUMNS.index("mu")] == "~0.5 [0.4, 0.9]"          # an estimate is labelled as such
    assert lines[-2] == "# warmup-theory 9.9.9 | seed=7 | device=cpu"
    assert lines[-1].startswith("# INVARIANTS BROKEN: 1 of 3 rows")
    assert "1 rows rest on estimated constants (not theorem checks)" in lines[-1]
    inv = [r[-1] for r in csv.reader(io.StringIO("\n".join(lines[1:4])))]
    assert inv[0] == "ok"
    assert inv[1].startswith("broken: upper_closed: observed 60 > upper bound 5")
    assert inv[2].startswith("undecided: upper_closed: observed 60 > upper bound 5") and "estimated" in inv[2]


def test_markdown_marks_broken_row_and_lists_it():
    md = to_markdown(_rows(), META)
    assert "| ! | quad#2 (witness) | fixed-stable |" in md
    assert "|  | cosh_1 & 50% | warmup |" in md
    assert "- ! quad#2 / fixed-stable: upper_closed: observed 60 > upper bound 5" in md
    assert "_warmup-theory 9.9.9 | seed=7 | device=cpu_" in md
    assert "| ? | net | warmup | 4 | 1 | ~0.5 [0.4, 0.9] |" in md
    assert "not a theorem check" in md


def test_fmt_num():
    assert fmt_num(149) == "149" and fmt_num(4244.0) == "4244" and fmt_num(1e-6) == "1e-06"
    assert fmt_num(float("inf")) == "inf" and fmt_num(None) == ""


def test_estimated_h0_h1_marked_tilde_and_question():
    """deep-linear style row: H0, H1 certified only on a set GD leaves -> '~' cells, '?' marker, counted apart."""
    r = TableRow("dl", "warmup", 318.4, 5.397, Estimate(0.2258, 0.0, 0.2258, "trajectory"), None, 10.96, 1e-2,
                 7119, "converged", upper_closed=197395.0, upper_recursive=54698.0, estimated=("H0", "H1"))
    good = TableRow("c", "warmup", 1.0, 1.0, 1.0, 1.0, 10.0, 1e-6, 10, "converged", upper_closed=20.0)
    rows = mark_rows([good, r])
    md = to_markdown(rows, META)
    assert "| ? | dl | warmup | ~318.4 | ~5.397 | ~0.2258 [0, 0.2258] |" in md
    assert "|  | c | warmup | 1 | 1 | 1 |" in md
    assert "invariants hold on all 1 decided rows; 1 rows rest on estimated constants (not theorem checks)" in md
    assert "- ? dl / warmup: rests on estimated constants (H0, H1, mu)" in md
    tex = to_latex(rows, META)
    assert [ln for ln in tex.splitlines() if ln.startswith("? & dl")]
    cells = list(csv.reader(io.StringIO(to_csv(rows, META))))
    assert cells[2][CSV_COLUMNS.index("H0")] == "318.4"                  # CSV numbers stay numbers
    assert cells[2][-1] == "undecided: rests on estimated constants (H0, H1, mu): not theorem checks"
