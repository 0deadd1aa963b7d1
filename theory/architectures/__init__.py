"""Architectures that satisfy (H0,H1)-smoothness: constants with proofs (issue 5; NOTES §4).

* :func:`deep_linear_constants` — deep linear network, ½-squared loss, strongly balanced
  weights, X of full row rank (corrected Prop 3.2); :func:`deep_linear_printed_defect`
  the printed form's defect (rank-deficient X).
* :func:`two_layer_ce_constants` — two-layer network, summed cross-entropy + L2
  (Prop 3.3; corrected H0, printed Eq. (31) via ``printed=True``);
  :func:`two_layer_ce_printed_witness` its certified violation.
* :func:`activation_constants` — C1, C2, C3 of an activation (certified brackets).
* :func:`leaky_relu_constants` — one hidden leaky-ReLU unit (toolkit's own Prop D.1).
* :func:`attention_constants` — one linear-attention layer for in-context regression
  (toolkit's own Prop 3.4 / E.2).

Proofs: ``proofs_checks/claims/architectures.py``.

>>> from warmup_theory.theory.architectures import deep_linear_constants
>>> deep_linear_constants(1, 3.0, 1.0, 1.0, 0.0)
HSmooth(H0=9.0, H1=0.0)
"""

from warmup_theory.theory.architectures.activations import (
    ACTIVATIONS,
    ActivationConstants,
    activation_constants,
    sin_perturbed_identity,
)
from warmup_theory.theory.architectures.attention import (
    attention_constants,
    attention_data_constant,
    attention_prediction,
)
from warmup_theory.theory.architectures.deep_linear import (
    DeepLinearDefect,
    deep_linear_bound_function,
    deep_linear_constants,
    deep_linear_printed_defect,
)
from warmup_theory.theory.architectures.leaky_relu import leaky_relu_bound_function, leaky_relu_constants
from warmup_theory.theory.architectures.two_layer_ce import (
    CEWitness,
    TwoLayerCECoefficients,
    two_layer_ce_coefficients,
    two_layer_ce_constants,
    two_layer_ce_printed_witness,
)

__all__ = [
    "ACTIVATIONS",
    "ActivationConstants",
    "CEWitness",
    "DeepLinearDefect",
    "TwoLayerCECoefficients",
    "activation_constants",
    "attention_constants",
    "attention_data_constant",
    "attention_prediction",
    "deep_linear_bound_function",
    "deep_linear_constants",
    "deep_linear_printed_defect",
    "leaky_relu_bound_function",
    "leaky_relu_constants",
    "sin_perturbed_identity",
    "two_layer_ce_coefficients",
    "two_layer_ce_constants",
    "two_layer_ce_printed_witness",
]
