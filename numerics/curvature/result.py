"""Result object of every spectral-norm solver in :mod:`warmup_theory.numerics.curvature`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import torch

__all__ = ["SpectralNormResult", "CERTIFICATES"]

#: What the bracket [lower, upper] guarantees (field ``certificate``):
#:
#: * ``"deterministic"``: lower <= ||H|| <= upper holds for the operator as computed,
#:   up to the stated floating-point allowance (dense eigvalsh, or Lanczos run to an
#:   invariant subspace of full dimension n).
#: * ``"probabilistic"``: ``lower`` is deterministic; ``upper`` holds with probability
#:   >= 1 - ``delta`` over the Gaussian start vector drawn inside the solver (see
#:   :mod:`warmup_theory.numerics.curvature.certificate`).
#: * ``"lower-only"``: only ``lower`` is certified; ``upper`` is ``inf`` (SciPy eigsh).
#:
#: For HVPs in a dtype other than float64 the guarantee is in addition conditional on the
#: rounding allowance of field ``rounding`` (a measured or estimated quantity, see ``note``).
CERTIFICATES = ("deterministic", "probabilistic", "lower-only")


@dataclass(frozen=True)
class SpectralNormResult:
    """Spectral norm ||H||_2 = max_i |lambda_i(H)| of a symmetric Hessian, with its error.

    Fields
    ------
    value: point estimate of ||H||_2 (inside [lower, upper]).
    lower, upper: bracket, guarantee described by ``certificate`` and ``delta``.
    residual: ||H y - rho y|| for the returned unit vector y, rho = y^T H y (explicit HVP).
    hvps: Hessian-vector products used (full-dataset HVPs for the model API; the dense
        method counts n, one per Hessian column).
    converged: True when (upper - lower) <= tol * lower was reached (power: relative change
        of the estimate < tol, which certifies nothing).
    method: "dense", "lanczos", "power" or "eigsh".
    certificate: one of :data:`CERTIFICATES`.
    delta: failure probability of ``upper`` (0 for deterministic, 1 for lower-only).
    eigenvalue: signed eigenvalue estimate rho of largest modulus (negative when the most
        negative eigenvalue dominates).
    n: number of parameters; dtype/device: of the Hessian-vector products.
    rounding: absolute allowance eps for rounding inside the Hessian-vector products when their
        dtype is not float64 (0 for float64); [lower, upper] has already been widened by it (see
        :func:`~warmup_theory.numerics.curvature.spectral_norm.solve_problem`).
    note: how ``rounding`` was obtained ("" for float64), e.g. measured against a float64 HVP.
    stop: the Lanczos stopping rule used, ``"bracket"`` or ``"residual"`` (``""`` for other
        methods); ``converged`` refers to it.
    basis_bytes: memory of the preallocated Lanczos basis (k_max * n * bytes; 0 for other methods).
    reorth: the Lanczos reorthogonalisation, ``"full"`` or ``"none"`` (``""`` for other methods).
    eigenvector: unit vector y in the shape of ``params`` (tensor or dict), for warm starts.
    """

    value: float
    lower: float
    upper: float
    residual: float
    hvps: int
    converged: bool
    method: str
    certificate: str
    delta: float
    eigenvalue: float
    n: int
    dtype: str
    device: str
    seconds: float
    rounding: float = 0.0
    note: str = ""
    stop: str = ""
    basis_bytes: int = 0
    reorth: str = ""
    eigenvector: Any = field(default=None, repr=False, compare=False)

    @property
    def relative_width(self) -> float:
        """(upper - lower) / lower (inf if lower == 0 or upper is inf)."""
        if self.lower <= 0 or math.isinf(self.upper):
            return math.inf
        return (self.upper - self.lower) / self.lower

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly fields (the eigenvector is left out)."""
        return {k: getattr(self, k) for k in (
            "value", "lower", "upper", "residual", "hvps", "converged", "method",
            "certificate", "delta", "eigenvalue", "n", "dtype", "device", "seconds", "rounding",
            "note", "stop", "basis_bytes", "reorth")} | {
            "relative_width": self.relative_width}


def _vector_like(flat: torch.Tensor, template: Any) -> Any:
    """Reshape a flat vector like ``template`` (a tensor or a dict of tensors)."""
    if isinstance(template, dict):
        out, i = {}, 0
        for k, t in template.items():
            out[k] = flat[i:i + t.numel()].view_as(t)
            i += t.numel()
        return out
    return flat.view_as(template)
