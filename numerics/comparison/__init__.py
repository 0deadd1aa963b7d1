"""One-call comparison of the warm-up with fixed steps: proven bounds, observed counts, verdict.

>>> from warmup_theory.numerics.comparison import compare
>>> compare(1.0, 1.0, mu=0.5, gap0=10.0, eps=1e-3).rows[0].schedule
'warmup'
"""

from warmup_theory.numerics.comparison.members import Member, class_members
from warmup_theory.numerics.comparison.result import Comparison, ScheduleComparison
from warmup_theory.numerics.comparison.run import compare

__all__ = ["Comparison", "Member", "ScheduleComparison", "class_members", "compare"]
