"""Warm-up schedulers for a user's training loop: the loss-adaptive warm-up and its baselines (one code path).

* :class:`LossAdaptiveWarmup` — ``lr = peak/(1 + C·(ℓ̄ − f*))``, the paper's Eq. (1) with one parameter ``C``;
* :class:`LinearWarmup`, :class:`UntunedLinearWarmup` (Ma & Yarats' ``2/(1 − β2)`` steps for Adam);
* decay shapes None / "cosine" / "linear" / "wsd" shared by all three (:mod:`.shapes`).
"""

from warmup_theory.numerics.schedulers.linear import LinearWarmup, UntunedLinearWarmup, untuned_warmup_steps
from warmup_theory.numerics.schedulers.loss_adaptive import LossAdaptiveWarmup
from warmup_theory.numerics.schedulers.shapes import DECAYS, decay_value

__all__ = ["DECAYS", "LinearWarmup", "LossAdaptiveWarmup", "UntunedLinearWarmup", "decay_value",
           "untuned_warmup_steps"]
