"""Hunting violations of the architecture propositions: ``check_proposition``.

For a proposition and an instance family, the largest observed ratio

    ρ(w) = ‖∇²f(w)‖₂ / (H0 + H1·(f(w) − f*))

(spectral norm of the dense float64 Hessian, ``torch.func.hessian`` + ``eigvalsh``; constants
from :mod:`warmup_theory.theory.architectures`) over

(a) ``random``  — random admissible points at many scales;
(b) ``gd``      — gradient-descent trajectories (step 1/(H0 + H1·gap), and 4× that);
(c) ``search``  — an adversarial search: Adam ascent on log ρ over the weights, batched over
    data instances × starts with ``torch.func.vmap``, then a mutation round over the data
    (and the activation parameters) where the statement quantifies over them.  Admissibility
    is kept by parametrisation: deep linear weights are W_i = U_i diag(e^ρ) U_{i−1}ᵀ with
    U_i = QR(A_i) (exactly strongly balanced, :func:`warmup_theory.numerics.models.deep_linear.balanced_from_free`).

Propositions (v2 labels):

* ``"3.2"`` deep linear MSE on strongly balanced weights, X of full row rank, corrected
  constants ``warmup_theory.theory.architectures.deep_linear_constants`` (X searched including
  near-rank-deficient X).
* ``"3.2-printed"`` the printed statement (no rank condition): X also rank-deficient.  The
  printed constants are not known; the reference line is the corrected formula with λ_min
  replaced by the smallest NON-ZERO eigenvalue of XXᵀ (finite, data-dependent only).  A found
  violation is certified by moving the worst point onto the optimal fibre
  P_t = P*Π + t·P(I − Π) (Π = projector onto the column space of X: f(P_t) = f* exactly),
  re-balancing, and showing ‖∇²f‖ grow without bound in t at f − f* = 0 — which defeats
  every finite (H0, H1), not only the reference line.
* ``"3.3"`` two-layer CE (summed) + L2, corrected constants
  ``two_layer_ce_constants(..., printed=False)``; the bound is affine in f*, so the ratio
  is evaluated at both ends of a bracket [f*_lo, f*_hi] and the larger is reported.
* ``"3.3-printed"`` printed Eq. (31) on the one-sample, one-hidden-unit binary network with
  φ(s) = s + (a/ω)sin(ωs); the search runs over the weights, x, λ1, λ2, a, ω.  The printed
  bound decreases in f*, so it is evaluated with a CERTIFIED LOWER bound on f*
  (:func:`warmup_theory.numerics.models.two_layer.one_unit_f_star_bracket`).
* ``"D.1"`` one hidden leaky-ReLU unit, balanced ‖w‖ = ‖v‖ by parametrisation (w = e^ρa/‖a‖,
  v = e^ρb/‖b‖), constants ``leaky_relu_constants`` (toolkit's own); X, Y, α searched.
* ``"3.4"`` one linear-attention layer, constants ``attention_constants`` (toolkit's own);
  prompts and λ_P, λ_Q searched.  For D.1 and 3.4 the bound H0 + H1(f − f*) does not depend on
  f* (tangent / affine forms); the ratio is still evaluated at both ends of [0, f*_hi].

>>> r = check_proposition("3.2", budget="tiny", seed=0)
>>> r.violated, r.max_ratio < 1
(False, True)
"""

from __future__ import annotations

import time
from typing import Any

import torch

from warmup_theory.numerics.models.data import make_regression_data
from warmup_theory.numerics.search.attention import AttentionCase, attention_family
from warmup_theory.numerics.search.batch import _point_from
from warmup_theory.numerics.search.deep_linear import DeepLinearCase, _check_deep_linear
from warmup_theory.numerics.search.generic import _check_generic
from warmup_theory.numerics.search.leaky_relu import LeakyReLUCase, leaky_relu_family
from warmup_theory.numerics.search.ratios import VIOLATION_RTOL, _ratio_key
from warmup_theory.numerics.search.results import PropositionCheck
from warmup_theory.numerics.search.two_layer import TwoLayerCase, _check_two_layer
from warmup_theory.numerics.search.witness import _certify_deep_linear_unbounded, _certify_two_layer_printed

__all__ = ["BUDGETS", "PROPOSITIONS", "check_proposition"]

Case = DeepLinearCase | TwoLayerCase | LeakyReLUCase | AttentionCase

PROPOSITIONS = ("3.2", "3.2-printed", "3.3", "3.3-printed", "D.1", "3.4")

# Sweep sizes.  "default" is sized for <= 60 s per proposition on 2 CPU cores.
BUDGETS: dict[str, dict[str, int]] = {
    "tiny": dict(n_data=4, n_random=8, gd_runs=2, gd_steps=10, starts=4, search_steps=25, rounds=1),
    "small": dict(n_data=8, n_random=16, gd_runs=4, gd_steps=30, starts=8, search_steps=60, rounds=2),
    "default": dict(n_data=16, n_random=32, gd_runs=8, gd_steps=60, starts=8, search_steps=100, rounds=2),
    "large": dict(n_data=64, n_random=128, gd_runs=32, gd_steps=200, starts=32, search_steps=300, rounds=4),
}


_STATEMENTS = {
    "3.2": "deep linear MSE, strongly balanced W, X full row rank: ||Hess f|| <= H0 + H1 (f - f*) "
           "(corrected constants, warmup_theory.theory.architectures.deep_linear_constants)",
    "3.2-printed": "printed Prop 3.2 (no rank condition on X): finite H0, H1 for every X",
    "3.3": "two-layer CE (summed) + L2: ||Hess f|| <= H0 + H1 (f - f*), corrected H0 (with C_lin f*)",
    "3.3-printed": "printed Eq. (31): H0 = lam1 + lam2 + Bres (f* + 1), H1 = Bres + C_lin",
    "D.1": "one hidden leaky-ReLU unit, 1/2 MSE, ||w|| = ||v||, X full row rank (toolkit's own "
           "statement, warmup_theory.theory.architectures.leaky_relu_constants), off the kinks",
    "3.4": "one linear-attention layer, in-context regression + L2 (toolkit's own statement, "
           "warmup_theory.theory.architectures.attention_constants)",
}


def check_proposition(
    prop: str,
    instance: Case | None = None,
    *,
    budget: str = "default",
    seed: int = 0,
    device: str | torch.device | None = None,
    threads: int | None = 1,
) -> PropositionCheck:
    """Largest observed ratio ‖∇²f‖₂ / (H0 + H1(f − f*)) for ``prop`` (module docstring).

    ``prop`` ∈ PROPOSITIONS; ``instance`` a :class:`DeepLinearCase` (3.2*),
    :class:`TwoLayerCase` (3.3*), :class:`LeakyReLUCase` (D.1) or :class:`AttentionCase` (3.4),
    default the class defaults; ``budget`` ∈ BUDGETS;
    ``device`` ``"cpu"``, ``"cuda"`` or ``None`` (default: CUDA when available, else CPU).  For printed forms a
    violation is re-checked (``witness_confirmed``) and the witness is in ``witness``.
    ``threads``: torch intra-op threads while the check runs on the CPU (restored after);
    the tensors here are tiny, and 1 thread is several times faster than 2 on a loaded
    machine (thread hand-off dominates); ``None`` leaves torch's setting alone.
    """
    old_threads = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(int(threads))
    try:
        return _check_proposition(prop, instance, budget=budget, seed=seed, device=device)
    finally:
        torch.set_num_threads(old_threads)


def _check_proposition(prop: str, instance: Case | None, *, budget: str, seed: int,
                       device: str | torch.device | None) -> PropositionCheck:
    from warmup_theory.numerics.device import resolve_device

    if prop not in PROPOSITIONS:
        raise ValueError(f"prop must be one of {PROPOSITIONS}, got {prop!r}")
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {tuple(BUDGETS)}, got {budget!r}")
    dev = resolve_device(device)
    B = BUDGETS[budget]
    t0 = time.perf_counter()
    witness: dict[str, Any] | None = None
    confirmed = False
    if prop in ("3.2", "3.2-printed"):
        case = instance if instance is not None else DeepLinearCase()
        if not isinstance(case, DeepLinearCase):
            raise TypeError(f"instance must be a DeepLinearCase for Prop {prop}, got {type(case).__name__}")
        batch, best_dl, counts, tally = _check_deep_linear(prop, case, B, seed, dev)
        # instance indices refer to the final batch: later rounds only append instances
        pts = {s: _point_from(batch, s, i, th) for s, (_, i, th) in best_dl.items()}
        worst = max(pts.values(), key=lambda p: _ratio_key(p.ratio))
        violated = worst.ratio > 1 + VIOLATION_RTOL
        if prop == "3.2-printed" and violated:
            dd = make_regression_data(torch.tensor(worst.data["X"], dtype=torch.float64),
                                      torch.tensor(worst.data["Y"], dtype=torch.float64), worst.data["hidden_rank"])
            if dd.x_rank < dd.X.shape[0]:
                confirmed, witness = _certify_deep_linear_unbounded(
                    case, dd, torch.tensor(worst.theta, dtype=torch.float64), (worst.H0, worst.H1))
    elif prop in ("3.3", "3.3-printed"):
        case = instance if instance is not None else TwoLayerCase()
        if not isinstance(case, TwoLayerCase):
            raise TypeError(f"instance must be a TwoLayerCase for Prop {prop}, got {type(case).__name__}")
        cells = 20_000
        case, best, counts, tally = _check_two_layer(prop, case, B, seed, dev, cells)
        pts = {s: _point_from(b, s, i, z) for s, (_, i, z, b) in best.items()}
        worst = max(pts.values(), key=lambda p: _ratio_key(p.ratio))
        violated = worst.ratio > 1 + VIOLATION_RTOL
        if prop == "3.3-printed" and violated:
            confirmed, witness = _certify_two_layer_printed(worst)
    else:
        case = instance if instance is not None else (LeakyReLUCase() if prop == "D.1" else AttentionCase())
        want = LeakyReLUCase if prop == "D.1" else AttentionCase
        if not isinstance(case, want):
            raise TypeError(f"instance must be a {want.__name__} for Prop {prop}, got {type(case).__name__}")
        family = (leaky_relu_family(case, dev) if isinstance(case, LeakyReLUCase)
                  else attention_family(case, dev))
        best, counts, tally = _check_generic(family, B, seed, dev)
        pts = {s: _point_from(b, s, i, z) for s, (_, i, z, b) in best.items()}
        worst = max(pts.values(), key=lambda p: _ratio_key(p.ratio))
        violated = worst.ratio > 1 + VIOLATION_RTOL
    n_eval, n_nonfinite = tally.result()
    if violated and witness is None:  # any violation is reported with everything to re-check it
        witness = dict(worst.to_dict(), description=f"ratio {worst.ratio:.6g} > 1 for Prop {prop} (not re-certified)")
    return PropositionCheck(
        prop=prop, statement=_STATEMENTS[prop], instance=case.to_dict(), max_ratio=worst.ratio,
        max_ratio_by_source={s: p.ratio for s, p in pts.items()}, n_points=counts, worst=worst,
        violated=violated, witness=witness, witness_confirmed=confirmed,
        seconds=time.perf_counter() - t0, device=str(dev), budget=budget, seed=seed,
        n_evaluations=n_eval, n_nonfinite=n_nonfinite)

