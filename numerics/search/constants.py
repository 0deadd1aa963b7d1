"""The (H0, H1) constants the search tests, read from the theory layer as floats.

* deep linear (Prop 3.2): :func:`warmup_theory.theory.architectures.deep_linear.deep_linear_constants`
  with ‖X‖₂, λ_min(XXᵀ) (printed form: the smallest NON-ZERO eigenvalue), ‖Y‖_F and f*;
* two-layer CE + L2 (Prop 3.3, Eq. (31)):
  :func:`warmup_theory.theory.architectures.two_layer_ce.two_layer_ce_constants` (corrected or
  printed) with the activation constants (C1, C2, C3) of :func:`_activation_constants`.

The imports of the theory layer are made at call time (it is sympy-heavy and only these
functions need it).

>>> _activation_constants("sine", 0.5, 2.0)
(1.5, 1.5, 1.0)
"""

from __future__ import annotations

from warmup_theory.numerics.models.data import RegressionData
from warmup_theory.numerics.models.two_layer import sine_activation_constants

__all__: list[str] = []


def _deep_linear_HH(depth: int, data: RegressionData, printed: bool) -> tuple[float, float]:
    """(H0, H1) of Prop 3.2 for depth l and the data constants of ``data``; ``printed`` uses
    λ_min⁺ (smallest non-zero eigenvalue of XXᵀ) as the reference line of the printed form.
    f* is capped at ½‖Y‖²_F (its value at P = 0)."""
    from warmup_theory.theory.architectures.deep_linear import deep_linear_constants

    lam = data.x_lambda_min_pos if printed else data.x_lambda_min
    c = deep_linear_constants(depth, data.x_norm, lam, data.y_norm, min(data.f_star, 0.5 * data.y_norm**2))
    return float(c.H0), float(c.H1)


def _activation_constants(name: str, a: float, omega: float) -> tuple[float, float, float]:
    """(C1, C2, C3) = (sup|φ(s)/s|, sup|φ'|, sup|φ''|) of the activation ``name``; for "sine",
    φ(s) = s + (a/ω)sin(ωs) with the exact constants (1 + a, 1 + a, aω)."""
    if name == "sine":
        return sine_activation_constants(a, omega)
    from warmup_theory.theory.architectures import activation_constants  # published by the theory layer

    c = activation_constants(name)
    return float(c.C1), float(c.C2), float(c.C3)


def _two_layer_HH(x_norm: float, C: tuple[float, float, float], lam1: float, lam2: float, f_star: float,
                  printed: bool) -> tuple[float, float]:
    """(H0, H1) of Prop 3.3 (two-layer summed CE + L2) for ‖X‖₂, activation constants C, λ1,
    λ2 and f*; ``printed=True`` gives printed Eq. (31), else the corrected constants."""
    from warmup_theory.theory.architectures.two_layer_ce import two_layer_ce_constants

    c = two_layer_ce_constants(x_norm, C[0], C[1], C[2], lam1, lam2, f_star, printed=printed)
    return float(c.H0), float(c.H1)
