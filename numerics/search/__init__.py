"""Hunting violations of the architecture propositions: :func:`check_proposition`.

The largest observed ratio ρ(w) = ‖∇²f(w)‖₂ / (H0 + H1·(f(w) − f*)) (spectral norm of the dense
float64 Hessian) over random admissible points, GD trajectories and an adversarial search, for
Props 3.2, 3.2-printed, 3.3, 3.3-printed, D.1 and 3.4 (details: :mod:`.engine`).

Modules: ``engine`` (entry point, budgets, statements), ``results`` (:class:`RatioPoint`,
:class:`PropositionCheck`), ``ratios`` (non-finite rules, tallies), ``batch`` (batched Hessians and
the problem batch), ``trajectories`` (GD and Adam ascent), ``generic`` (the driver for D.1 / 3.4),
one adapter per architecture (``deep_linear``, ``two_layer``, ``leaky_relu``, ``attention``),
``constants`` (the (H0, H1) each adapter compares with) and ``witness`` (re-checking printed-form defects).

>>> from warmup_theory.numerics.search import check_proposition
>>> check_proposition("D.1", budget="tiny", seed=0).violated
False
"""

from warmup_theory.numerics.search.attention import AttentionCase
from warmup_theory.numerics.search.batch import _Batch, batched_hessian, hessian_norm
from warmup_theory.numerics.search.deep_linear import DeepLinearCase, _rebalance
from warmup_theory.numerics.search.engine import BUDGETS, PROPOSITIONS, check_proposition
from warmup_theory.numerics.search.leaky_relu import LeakyReLUCase
from warmup_theory.numerics.search.ratios import VIOLATION_RTOL, aggregate_ratios
from warmup_theory.numerics.search.results import PropositionCheck, RatioPoint
from warmup_theory.numerics.search.two_layer import TwoLayerCase

__all__ = [
    "BUDGETS",
    "PROPOSITIONS",
    "VIOLATION_RTOL",
    "AttentionCase",
    "DeepLinearCase",
    "LeakyReLUCase",
    "PropositionCheck",
    "RatioPoint",
    "TwoLayerCase",
    "_Batch",
    "_rebalance",
    "aggregate_ratios",
    "batched_hessian",
    "check_proposition",
    "hessian_norm",
]
