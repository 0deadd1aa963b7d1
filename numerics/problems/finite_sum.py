"""Finite sums f = (1/n)·Σ_i f_i for SGD: the component values and gradients of a batch of iterates at once.

A :class:`FiniteSumProblem` evaluates every component on W [R, d]: ``components(W) -> (F [R, n], G [R, n, d])``
(closed forms, float64).  It is also a full-batch problem for :func:`warmup_theory.numerics.gd.run_gd`
(``fn`` / ``vg_fn`` average the components), so GD and SGD run on the same objects.

Constants (``H0``, ``H1``) hold for **every component** f_i (hence for every mini-batch loss f_S and for f:
the average rule with equal minima); ``f_star`` is f's minimum; ``interpolation`` says whether every f_i is
minimised, with value f*, on f's minimiser set X* (the SGD theorems' assumption,
:mod:`warmup_theory.theory.bounds.sgd_common`); ``theta``: per-sample aiming towards X* (1 for convex f_i
under interpolation, None otherwise); ``mu``: PL constant of f (None if not PL); ``minimiser_dist``:
dist(w, X*).

>>> import torch
>>> from warmup_theory.numerics.problems.shared_minimiser import consistent_least_squares
>>> p = consistent_least_squares(n=6, dim=2, seed=0)
>>> F, G = p.components(torch.zeros(3, 2, dtype=torch.float64))
>>> tuple(F.shape), tuple(G.shape), p.interpolation, p.theta
((3, 6), (3, 6, 2), True, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor

__all__ = ["FiniteSumProblem"]


@dataclass(frozen=True, eq=False)
class FiniteSumProblem:
    """f = (1/n)Σ f_i with per-component closed forms and proven constants (module docstring)."""

    name: str
    dim: int
    n: int
    components: Callable[[Tensor], tuple[Tensor, Tensor]]
    f_star: float
    H0: float
    H1: float
    mu: float | None
    theta: float | None
    interpolation: bool
    minimiser_dist: Callable[[Tensor], Tensor]
    provenance: str
    family: str = ""
    info: Mapping[str, Any] = field(default_factory=dict)
    batch: None = None  # no per-run parameters (the engine's Problem protocol)

    @property
    def run_params(self) -> dict[str, Tensor]:
        """No per-run parameters (the engine's Problem protocol)."""
        return {}

    @property
    def shared_params(self) -> dict[str, Tensor]:
        """No shared tensors to move (components hold their own, float64 CPU)."""
        return {}

    def f(self, W: Tensor) -> Tensor:
        """f(W) = mean of the components, [R]."""
        return self.components(W)[0].mean(dim=1)

    def fn(self, W: Tensor, params: Mapping[str, Tensor]) -> Tensor:
        """f with the engine's (W, params) signature."""
        return self.f(W)

    def vg_fn(self, W: Tensor, params: Mapping[str, Tensor]) -> tuple[Tensor, Tensor]:
        """(f, ∇f) = means of the components' values and gradients (full batch)."""
        F, G = self.components(W)
        return F.mean(dim=1), G.mean(dim=1)

    def constants(self) -> dict[str, Any]:
        """H0, H1, mu, theta, f_star as floats (None where absent)."""
        return {"H0": self.H0, "H1": self.H1, "mu": self.mu, "theta": self.theta, "f_star": self.f_star}

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict."""
        return {"name": self.name, "family": self.family, "dim": self.dim, "n": self.n, "f_star": self.f_star,
                "H0": self.H0, "H1": self.H1, "mu": self.mu, "theta": self.theta,
                "interpolation": self.interpolation, "provenance": self.provenance}
