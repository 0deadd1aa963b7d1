"""Curvature along real training (the paper's Section 3.2 at small scale): :func:`probe`.

* :mod:`.loop` — :func:`probe`, the training loop with a :class:`~warmup_theory.numerics.curvature.CurvatureTracker`;
* :mod:`.result` — :class:`ProbeRecord`, :class:`ProbeResult` (``to_dict``, ``to_csv``, ``fit``, ``plot``),
  :class:`ProbeFit` (per-estimator fits and a verdict in numbers);
* :mod:`.fitting` — least-squares line, LP envelope, sliding-window R²;
* :mod:`.plots` — the paper-style figures;
* :mod:`.tasks` — the offline tasks of ``warmup-theory probe`` (byte-level LM on the standard library's
  sources, scikit-learn's digits).
"""

from warmup_theory.numerics.probe.fitting import EstimatorFit, fit_estimator
from warmup_theory.numerics.probe.loop import probe
from warmup_theory.numerics.probe.result import ESTIMATORS, PROBE_COLUMNS, ProbeFit, ProbeRecord, ProbeResult

__all__ = ["ESTIMATORS", "PROBE_COLUMNS", "EstimatorFit", "ProbeFit", "ProbeRecord", "ProbeResult", "fit_estimator",
           "probe"]
