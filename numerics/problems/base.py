"""The :class:`Problem` type (a batch of GD objectives with proven constants) and its array helpers.

See :mod:`warmup_theory.numerics.problems` for the catalogue and its conventions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
import torch

from warmup_theory.theory.validate import check_scalar

Tensor = torch.Tensor
_F64 = torch.float64

@dataclass(frozen=True, eq=False)
class Problem:
    """A GD test problem: batched f, exact f*, proven constants, and where they come from.

    ``f(W)``: W [B, d] → [B] (torch, float64, CPU parameters).  For problems with per-run parameters
    (``batch`` = B) ``f`` expects exactly B rows and ``H0``, ``H1``, ``mu``, ``theta``, ``f_star`` may be
    arrays [B].  ``fn(W, params)`` is the same function with explicit parameters (the GD engine uses
    it to move parameters to the device and to drop stopped runs).  ``minimiser_dist(W)`` = dist(w, S)
    (same batching as ``f``).  ``vg_fn(W, params)`` → (f, ∇f) in closed form (optional; the engine
    uses it instead of autograd — tests check it against sympy differentiation).  ``sympy_expr``: the
    closed form in ``symbols`` (for a batched problem, a
    parametric form in ``symbols`` + ``param_symbols``; :meth:`expr` gives run i's numeric form).
    """

    name: str
    dim: int
    f: Callable[[Tensor], Tensor]
    f_star: Any
    H0: Any
    H1: Any
    mu: Any
    theta: Any
    minimiser_dist: Callable[[Tensor], Tensor] | None
    provenance: str
    sympy_expr: Any = None
    symbols: tuple = ()
    fn: Callable[[Tensor, Mapping[str, Tensor]], Tensor] | None = None
    run_params: Mapping[str, Tensor] = field(default_factory=dict)
    shared_params: Mapping[str, Tensor] = field(default_factory=dict)
    batch: int | None = None
    family: str = ""
    param_symbols: Mapping[str, sp.Symbol] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    vg_fn: Callable[[Tensor, Mapping[str, Tensor]], tuple[Tensor, Tensor]] | None = None

    def constants(self, i: int | None = None) -> dict[str, Any]:
        """H0, H1, mu, theta, f_star as floats (run ``i`` of a batched problem)."""
        def pick(v: Any) -> Any:
            if v is None:
                return None
            a = np.asarray(v, dtype=np.float64)
            if a.ndim == 0:
                return float(a)
            if i is None:
                raise ValueError("i (the run index) is required for a batched problem")
            return float(a[i])
        return {k: pick(getattr(self, k)) for k in ("H0", "H1", "mu", "theta", "f_star")}

    def gap(self, W: Any) -> np.ndarray:
        """f(W) − f* as a numpy array [B] (float64)."""
        Wt = torch.as_tensor(np.asarray(W, dtype=np.float64), dtype=_F64)
        if Wt.ndim == 1 and self.dim == 1:
            Wt = Wt.reshape(-1, 1)
        with torch.no_grad():
            return self.f(Wt).numpy() - np.asarray(self.f_star, dtype=np.float64)

    def expr(self, i: int | None = None) -> sp.Expr | None:
        """The numeric sympy form of f (run ``i`` of a batched problem)."""
        builder = self.info.get("expr_builder") if self.info else None
        if builder is not None:
            if self.batch is not None and i is None:
                raise ValueError("i (the run index) is required for a batched problem")
            return builder(i)
        if self.sympy_expr is None:
            return None
        if self.batch is None:
            return self.sympy_expr
        if i is None:
            raise ValueError("i (the run index) is required for a batched problem")
        subs = {s: sp.Float(float(self.run_params[k][i].reshape(-1)[0])) if self.run_params[k][i].numel() == 1
                else None for k, s in self.param_symbols.items()}
        return self.sympy_expr.subs({s: v for s, v in subs.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-serialisable dict (the keys ``--json`` output uses)."""

        def conv(v: Any) -> Any:
            if v is None:
                return None
            a = np.asarray(v, dtype=np.float64)
            return float(a) if a.ndim == 0 else a.tolist()
        return {"name": self.name, "family": self.family, "dim": self.dim, "batch": self.batch,
                "f_star": conv(self.f_star), "H0": conv(self.H0), "H1": conv(self.H1), "mu": conv(self.mu),
                "theta": conv(self.theta), "provenance": self.provenance,
                "sympy_expr": None if self.sympy_expr is None else str(self.sympy_expr)}


# ----------------------------------------------------------------------------------------------------
# helpers

def _arr(name: str, value: Any, *, low: float | None = 0.0, low_open: bool = False) -> np.ndarray:
    """A scalar or 1-D array of finite floats, each checked by check_scalar (names the argument)."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    a = np.asarray(value, dtype=np.float64) if not isinstance(value, (int, float)) else np.asarray(float(value))
    if a.ndim > 1:
        raise ValueError(f"{name} must be a scalar or a 1-D array, got shape {list(a.shape)}")
    for x in a.reshape(-1):
        check_scalar(name, float(x), low=low, low_open=low_open)
    return a


def _broadcast(**arrays: np.ndarray) -> tuple[int | None, dict[str, np.ndarray]]:
    """Common batch size of the 1-D arrays among ``arrays`` (None if all scalars)."""
    sizes = {k: v.shape[0] for k, v in arrays.items() if v.ndim == 1}
    if not sizes:
        return None, arrays
    B = max(sizes.values())
    for k, n in sizes.items():
        if n != B:
            raise ValueError(f"{k} has {n} entries but other per-run arguments have {B}")
    return B, {k: (np.full(B, float(v)) if v.ndim == 0 else v) for k, v in arrays.items()}


def _out(v: np.ndarray) -> Any:
    return float(v) if v.ndim == 0 else v.copy()


def _t(x: Any) -> Tensor:
    return torch.as_tensor(np.asarray(x, dtype=np.float64), dtype=_F64)


def _bind(fn: Callable, run: Mapping[str, Tensor], shared: Mapping[str, Tensor]) -> Callable[[Tensor], Tensor]:
    params = {**shared, **run}

    def f(W: Tensor) -> Tensor:
        return fn(W, params)
    return f


def _abs_dist(W: Tensor) -> Tensor:
    return W.abs().reshape(W.shape[0], -1).norm(dim=1)


