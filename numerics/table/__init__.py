"""``warmup-theory table``: predicted vs observed GD iteration counts, warm-up vs fixed steps.

* :mod:`warmup_theory.numerics.table.spec` — problem families × schedules and their documented choices;
* :mod:`warmup_theory.numerics.table.runner` — one batched GD program per family, bounds per row;
* :mod:`warmup_theory.numerics.table.invariants` — the checks every row must pass (pure functions);
* :mod:`warmup_theory.numerics.table.formats` — Markdown / CSV / LaTeX / JSON writers;
* :mod:`warmup_theory.numerics.table.sweeps` — iterations vs gap0 and vs eps, with bounds;
* :mod:`warmup_theory.numerics.table.plots` — PNG/SVG figures.

>>> from warmup_theory.numerics.table import CSV_COLUMNS, CSV_HEADER, SCHEDULES
>>> CSV_COLUMNS[-4:], CSV_HEADER[len(CSV_COLUMNS):], SCHEDULES[0]
(('lower', 'seconds', 'seed', 'device'), ('invariants',), 'warmup')
"""

from warmup_theory.numerics.table.invariants import check_row, mark_rows, summary_line
from warmup_theory.numerics.table.rows import CSV_COLUMNS, CSV_HEADER, SCHEDULES, Estimate, TableRow

__all__ = ["CSV_COLUMNS", "CSV_HEADER", "SCHEDULES", "Estimate", "TableRow", "check_row", "mark_rows", "summary_line"]
