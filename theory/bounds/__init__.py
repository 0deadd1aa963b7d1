"""Convergence theory of GD on (H0,H1)-smooth functions as calculators (Section 4, v2).

Re-exports :mod:`warmup_theory.theory.bounds.steps` (step sizes), :mod:`warmup_theory.theory.bounds.pl`
(μ-PL: Thms 4.3, 4.1(3)),
:mod:`warmup_theory.theory.bounds.aiming` (θ-aiming: Thms 4.2, 4.1(1–2)).  Every calculator takes floats (returns a
float) or sympy symbols (returns a sympy expression); iteration counts are integers K such that
f(w_k) − f* <= eps for all k >= K.  Printed forms of the paper are reachable with ``printed=True``.

>>> from warmup_theory.theory.bounds import pl_adaptive_iterations, pl_fixed_lower_iterations
>>> pl_adaptive_iterations(1.0, 1.0, 0.5, 10.0, 1e-3)
1009.0
"""

from warmup_theory.theory.bounds.aiming import (
    aiming_adaptive_iterations,
    aiming_adaptive_recursion_iterations,
    aiming_fixed_default_step,
    aiming_fixed_iterations,
    aiming_fixed_lower_iterations,
)
from warmup_theory.theory.bounds.pl import (
    PLLowerBoundWitness,
    RecursionResult,
    pl_adaptive_family_iterations,
    pl_adaptive_iterations,
    pl_adaptive_recursion_iterations,
    pl_fixed_iterations,
    pl_fixed_lower_iterations,
    pl_fixed_recursion_iterations,
    pl_lower_bound_witness,
)
from warmup_theory.theory.bounds.sgd import (
    sgd_aiming_adaptive_iterations,
    sgd_pl_adaptive_iterations,
    sgd_pl_fixed_iterations,
)
from warmup_theory.theory.bounds.sgd_last import sgd_convex_last_iterate_gap, sgd_convex_last_iterate_iterations
from warmup_theory.theory.bounds.sharp import pl_adaptive_contraction_iterations
from warmup_theory.theory.bounds.steps import (
    BEST_ADAPTIVE_FAMILY,
    PAPER_ADAPTIVE_FAMILY,
    adaptive_family_admissible,
    adaptive_family_rate,
    adaptive_step,
    adaptive_step_family,
    aiming_fixed_step,
    aiming_fixed_step_upper,
    cosh_instability_step,
    hard_instability_step,
    pl_fixed_step,
    pl_fixed_step_upper,
)

__all__ = [
    "BEST_ADAPTIVE_FAMILY", "PAPER_ADAPTIVE_FAMILY", "PLLowerBoundWitness", "RecursionResult",
    "adaptive_family_admissible", "adaptive_family_rate", "adaptive_step", "adaptive_step_family",
    "aiming_adaptive_iterations", "aiming_adaptive_recursion_iterations", "aiming_fixed_default_step",
    "aiming_fixed_iterations",
    "aiming_fixed_lower_iterations",
    "aiming_fixed_step", "aiming_fixed_step_upper", "cosh_instability_step", "hard_instability_step",
    "pl_adaptive_contraction_iterations", "pl_adaptive_family_iterations", "pl_adaptive_iterations",
    "pl_adaptive_recursion_iterations",
    "pl_fixed_iterations",
    "pl_fixed_lower_iterations", "pl_fixed_recursion_iterations", "pl_fixed_step", "pl_fixed_step_upper",
    "pl_lower_bound_witness",
    "sgd_aiming_adaptive_iterations", "sgd_convex_last_iterate_gap", "sgd_convex_last_iterate_iterations",
    "sgd_pl_adaptive_iterations", "sgd_pl_fixed_iterations",
]
