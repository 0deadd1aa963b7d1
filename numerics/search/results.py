"""Result records of the proposition search: :class:`RatioPoint` and :class:`PropositionCheck`.

Both are frozen dataclasses with ``to_dict()`` (JSON-ready).  A ratio is

    ρ(w) = ‖∇²f(w)‖₂ / (H0 + H1·(f(w) − f*))

with ‖·‖₂ the spectral norm of the dense float64 Hessian of the loss f as the model defines it
(deep linear: ½‖PX − Y‖²_F summed; two-layer: summed CE + L2; leaky ReLU: ½·MSE summed;
attention: mean squared error + L2), and f − f* clamped at 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PropositionCheck", "RatioPoint"]


@dataclass(frozen=True)
class RatioPoint:
    """One evaluated admissible point: everything needed to re-check its ratio.

    ``ratio`` = ``hessian_norm`` / ``bound`` with ``bound`` = H0 + H1·max(f − f_star, 0) and
    ``hessian_norm`` = ‖∇²f(θ)‖₂ (spectral norm, dense float64 Hessian at ``theta``).

    >>> p = RatioPoint("random", 0.5, 1.0, 2.0, 1.5, 0.5, 1.0, 1.0, (0.0,))
    >>> p.to_dict()["gap"], p.ratio == p.hessian_norm / p.bound
    (1.0, True)
    """

    source: str               # "random", "gd" or "search"
    ratio: float              # hessian_norm / bound
    hessian_norm: float
    bound: float              # H0 + H1·(f − f*_used)
    f: float
    f_star: float             # the f* used in the bound (certified lower end for printed 3.3)
    H0: float
    H1: float
    theta: tuple[float, ...]  # flat weights (row-major W's; two-layer: (W1, W2))
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (adds ``gap`` = f − f_star)."""
        return {"source": self.source, "ratio": self.ratio, "hessian_norm": self.hessian_norm,
                "bound": self.bound, "f": self.f, "f_star": self.f_star, "gap": self.f - self.f_star,
                "H0": self.H0, "H1": self.H1, "theta": list(self.theta), "data": self.data}


@dataclass(frozen=True)
class PropositionCheck:
    """Result of :func:`~warmup_theory.numerics.search.engine.check_proposition`.

    ``max_ratio`` is the worst observed ratio ‖∇²f‖₂ / (H0 + H1(f − f*)) (spectral norm of the
    Hessian); ``violated`` means max_ratio > 1 + 1e-9, including max_ratio = +inf (a zero bound
    with a non-zero Hessian norm, or a Hessian norm beyond float64); for a printed form
    ``witness_confirmed`` says whether the witness was re-checked.
    ``tightness`` = 1 − max_ratio (how far below 1 the worst ratio stays; negative when violated).

    Non-finite evaluations: ``n_evaluations[src]`` counts every ratio evaluated by a source
    (each random point, each GD iterate, each ascent step; ``n_points`` counts the points
    reported: one per random point, GD run or ascent start) and ``n_nonfinite[src]`` those that
    were NaN or ±inf.  NaN evaluations are never taken as the maximum; when NO finite or +inf
    ratio was found (max_ratio NaN) the check is ``inconclusive``: ``status`` is
    "inconclusive", never "no violation".
    """

    prop: str
    statement: str
    instance: dict[str, Any]
    max_ratio: float
    max_ratio_by_source: dict[str, float]
    n_points: dict[str, int]
    worst: RatioPoint
    violated: bool
    witness: dict[str, Any] | None
    witness_confirmed: bool
    seconds: float
    device: str
    budget: str
    seed: int
    n_evaluations: dict[str, int] = field(default_factory=dict)
    n_nonfinite: dict[str, int] = field(default_factory=dict)

    @property
    def tightness(self) -> float:
        """1 − max_ratio: the margin below the bound (negative when violated)."""
        return 1.0 - self.max_ratio

    @property
    def inconclusive(self) -> bool:
        """No violation was found but the worst ratio is not a finite number (every
        evaluation of the worst source was NaN): nothing can be concluded."""
        return not self.violated and not math.isfinite(self.max_ratio)

    @property
    def status(self) -> str:
        """"violated", "inconclusive" or "no violation"."""
        return "violated" if self.violated else ("inconclusive" if self.inconclusive else "no violation")

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready), including the derived ``tightness``, ``status`` and
        ``inconclusive``."""
        return {"prop": self.prop, "statement": self.statement, "instance": self.instance,
                "max_ratio": self.max_ratio, "tightness": self.tightness,
                "max_ratio_by_source": self.max_ratio_by_source, "n_points": self.n_points,
                "worst": self.worst.to_dict(), "violated": self.violated, "witness": self.witness,
                "witness_confirmed": self.witness_confirmed, "seconds": self.seconds,
                "device": self.device, "budget": self.budget, "seed": self.seed,
                "status": self.status, "inconclusive": self.inconclusive,
                "n_evaluations": self.n_evaluations, "n_nonfinite": self.n_nonfinite}

    def summary(self) -> str:
        """One line: worst ratio overall and per source, points, time, verdict, non-finite counts."""
        s = (f"Prop {self.prop}: max ratio {self.max_ratio:.6g} "
             f"(random {self.max_ratio_by_source.get('random', float('nan')):.4g}, "
             f"gd {self.max_ratio_by_source.get('gd', float('nan')):.4g}, "
             f"search {self.max_ratio_by_source.get('search', float('nan')):.4g}); "
             f"{sum(self.n_points.values())} points, {self.seconds:.1f} s")
        if self.violated:
            s += f"; VIOLATED (witness confirmed: {self.witness_confirmed})"
        elif self.inconclusive:
            s += f"; INCONCLUSIVE: max ratio is {self.max_ratio} (no finite ratio), NOT a 'no violation'"
        else:
            s += f"; no violation, tightness 1 - max = {self.tightness:.4g}"
        nf = sum(self.n_nonfinite.values())
        if nf:
            s += (f"; {nf} of {sum(self.n_evaluations.values())} evaluations non-finite (NaN/inf: "
                  + ", ".join(f"{k} {v}" for k, v in self.n_nonfinite.items()) + ")")
        return s
