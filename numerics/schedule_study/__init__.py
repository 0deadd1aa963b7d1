"""Does the loss-adaptive warm-up match tuned linear warm-up? (``warmup-theory schedules``)

:func:`run_study` trains every schedule (no warm-up, linear warm-up over a grid of lengths, the untuned
rule for Adam, the loss-adaptive warm-up over a C grid and with C from a probe fit) at every peak lr and
seed, batched over runs (:class:`BatchedRuns`), and returns a :class:`StudyResult` (summary, verdict, files,
figures).
"""

from warmup_theory.numerics.schedule_study.batched import BatchedRuns
from warmup_theory.numerics.schedule_study.result import RUN_COLUMNS, SUMMARY_COLUMNS, StudyResult
from warmup_theory.numerics.schedule_study.run import default_settings, run_study
from warmup_theory.numerics.schedule_study.specs import FAMILIES, ScheduleSpec
from warmup_theory.numerics.schedule_study.study import StudySettings

__all__ = ["FAMILIES", "RUN_COLUMNS", "SUMMARY_COLUMNS", "BatchedRuns", "ScheduleSpec", "StudyResult",
           "StudySettings", "default_settings", "run_study"]
