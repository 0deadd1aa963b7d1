"""One linear-attention layer for in-context linear regression, with L2 (Prop 3.4 / E.2, v2).

The paper's constants are not known; this is the toolkit's own statement, proved in
``proofs_checks/claims/architectures.py`` (claim "Prop 3.4").  The paper's sub-Gaussian
task assumptions are NOT used: the statement is for a fixed finite set of T prompts
(an empirical average), with a data constant K computed from the prompts.

Model (exactly as in NOTES §4; the numerics engineer implements this definition):

* prompt ``Z ∈ R^{(d+1)×(n+1)}``: columns 1..n are (x_i, y_i), column n+1 is the query
  (x_q, 0) (the bound holds for any last entry);
* ``M = diag(1, …, 1, 0) ∈ R^{(n+1)×(n+1)}``, parameters ``P, Q ∈ R^{(d+1)×(d+1)}``;
* ``Z1 = Z + P·Z·M·σ(ZᵀQZ)/n`` with **σ = identity (linear attention)** — the choice made
  here; softmax attention is not covered;
* prediction ``ŷ = Z1[−1, −1]`` (last row, last column), target y (the query's label);
* loss ``f(P, Q) = (1/T) Σ_t (ŷ_t − y_t)² + (λ_P/2)‖P‖²_F + (λ_Q/2)‖Q‖²_F``, λ_P, λ_Q > 0
  (squared error without ½, averaged over the T tasks/prompts).

With ``G_t = Z_t M Z_tᵀ / n`` and ``z_t = Z_t[:, −1]`` the prediction is BILINEAR in (P, Q):
``ŷ_t = Z_t[−1,−1] + pᵀ G_t Q z_t`` with ``p = Pᵀe_{d+1}`` (the last row of P).  Let
``K = max_t ‖G_t‖₂·‖z_t‖₂`` (``attention_data_constant``).  Then (Hessian w.r.t. (P, Q)
flattened, spectral norm), with λ_max = max(λ_P, λ_Q), λ_min = min(λ_P, λ_Q):

    ‖∇²f‖₂ <= λ_max + K + H1·f,      H1 = max(4K²/λ_min, K),

so ``H0 = λ_max + K + H1·f*``, ``H1`` as above.  Steps: |ŷ'| <= K_t√(‖P‖²+‖Q‖²)‖U‖,
|ŷ''| <= K_t‖U‖²; (1/T)Σ|r_t| <= √L (L the data term); ‖P‖²+‖Q‖² <= 2(f − L)/λ_min;
2K√L <= K + K·L.

>>> c = attention_constants(2.0, 0.5, 1.0, 0.1)
>>> c.H0, c.H1
(6.2, 32.0)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.validate import check_scalar, to_sympy

__all__ = ["attention_constants", "attention_prediction", "attention_data_constant"]


def attention_prediction(P: sp.Matrix, Q: sp.Matrix, Z: sp.Matrix) -> sp.Expr:
    """ŷ = Z1[−1, −1], Z1 = Z + P Z M (ZᵀQZ) / n (linear attention), as a sympy expression.

    >>> Z = sp.Matrix([[1, 2], [3, 0]])          # d = 1, n = 1
    >>> attention_prediction(sp.eye(2), sp.eye(2), Z)
    6
    """
    P, Q, Z = sp.Matrix(P), sp.Matrix(Q), sp.Matrix(Z)
    rows, cols = Z.shape
    if P.shape != (rows, rows) or Q.shape != (rows, rows):
        raise ValueError(f"P and Q must be {rows}×{rows} for Z of shape {Z.shape}, got {P.shape}, {Q.shape}")
    if cols < 2:
        raise ValueError(f"Z must have n + 1 >= 2 columns, got {cols}")
    n = cols - 1
    M = sp.diag(*([1] * n + [0]))
    Z1 = Z + P * Z * M * (Z.T * Q * Z) / n
    return sp.expand(Z1[rows - 1, cols - 1])


def attention_data_constant(prompts: Any) -> Any:
    """K = max_t ‖Z_t M Z_tᵀ/n‖₂ · ‖Z_t[:, −1]‖₂ for a sequence of prompts (sympy matrices or nested lists).

    Exact for sympy inputs (eigenvalues of the symmetric PSD matrix G_t).

    >>> attention_data_constant([sp.Matrix([[1, 2], [3, 0]])])
    20
    """
    best = None
    for Z in prompts:
        Z = sp.Matrix(Z)
        n = Z.shape[1] - 1
        if n < 1:
            raise ValueError(f"each prompt must have n + 1 >= 2 columns, got shape {Z.shape}")
        G = (Z[:, :n] * Z[:, :n].T / n).applyfunc(lambda e: sp.nsimplify(e, rational=True)
                                                  if e.is_Float else e)
        if G.free_symbols:
            g = sp.Max(*[sp.Abs(e) for e in G.eigenvals()])
        else:  # G is symmetric PSD: ‖G‖₂ = its largest real eigenvalue (exact algebraic number)
            g = max(sp.real_roots(sp.Poly(G.charpoly().as_expr())))
        z = sp.sqrt(sum(e**2 for e in Z[:, n]))
        k = g * z
        best = k if best is None else sp.Max(best, k)
    if best is None:
        raise ValueError("prompts must be a non-empty sequence")
    return best


def attention_constants(K: Any, lam_P: Any, lam_Q: Any, f_star: Any) -> HSmooth:
    """(H0, H1) for linear attention + L2 (toolkit's own Prop 3.4 / E.2; module docstring).

    ``K = max_t ‖G_t‖₂‖z_t‖₂ >= 0`` (:func:`attention_data_constant`), ``lam_P, lam_Q > 0``,
    ``f_star = inf f >= 0``.  ``H1 = max(4K²/min(λ_P, λ_Q), K)``,
    ``H0 = max(λ_P, λ_Q) + K + H1·f*``.

    >>> import sympy as sp
    >>> k, l = sp.symbols("K lambda", positive=True)
    >>> attention_constants(k, l, l, 0)
    HSmooth(H0=K + lambda, H1=Max(K, 4*K**2/lambda))
    """
    k = check_scalar("K", K, low=0)
    lp = check_scalar("lam_P", lam_P, low=0, low_open=True)
    lq = check_scalar("lam_Q", lam_Q, low=0, low_open=True)
    fs = check_scalar("f_star", f_star, low=0)
    if any(isinstance(v, sp.Basic) for v in (k, lp, lq, fs)):
        k, lp, lq, fs = map(to_sympy, (k, lp, lq, fs))
        h1 = sp.Max(4 * k**2 / sp.Min(lp, lq), k)
        return HSmooth(sp.Max(lp, lq) + k + h1 * fs, h1)
    h1 = max(4 * k * k / min(lp, lq), k)
    return HSmooth(max(lp, lq) + k + h1 * fs, h1)
