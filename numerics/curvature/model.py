r"""``model_hessian_norm``: ||∇²f(w)||_2 of an ``nn.Module``'s full-dataset loss.

Normalisation. With batches (x_b, y_b) of sizes n_b (the first dimension of y_b), N = sum n_b,
and ``loss(model(x_b), y_b)`` returning

* ``reduction="mean"`` (default): the batch mean, the full-batch loss is the mean over all
  samples, f(w) = sum_b (n_b / N) loss_b(w) -- correct for unequal batch sizes;
* ``reduction="sum"``: the batch sum, f(w) = sum_b loss_b(w).

Each HVP is exact and full-batch: H v = sum_b c_b ∇²loss_b(w) v, accumulated batch by batch
(one HVP = one pass over the data). The model is evaluated with ``torch.func.functional_call``
on copies of the parameters (cast to ``dtype``, on ``device``); the module is not modified.
The Hessian is with respect to the parameters with ``requires_grad=True``; the others and the
buffers are held fixed.

Refused (``ValueError``): dropout with p > 0 in training mode, batch norm in training mode
(the loss would not be a deterministic function of w), no parameter requiring grad.

>>> import torch
>>> torch.manual_seed(0) and None
>>> X, y = torch.randn(10, 3), torch.randn(10, 1)
>>> model = torch.nn.Linear(3, 1, bias=False)
>>> batches = [(X[:7], y[:7]), (X[7:], y[7:])]        # unequal batch sizes
>>> r = model_hessian_norm(model, torch.nn.functional.mse_loss, batches, device="cpu",
...                        generator=torch.Generator().manual_seed(0))
>>> X64 = X.double()
>>> exact = torch.linalg.eigvalsh(2 * X64.T @ X64 / 10).abs().max().item()  # (1/N)||Xw-y||^2
>>> abs(r.value - exact) < 1e-12, r.method
(True, 'dense')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import nn
from torch.func import functional_call

from warmup_theory.numerics.curvature.distributed import (
    ShardedProblem,
    all_reduce_sum,
    check_same_on_all_ranks,
    synced_generator,
)
from warmup_theory.numerics.curvature.hvp import GRAPH_CACHE_BYTES, FlatProblem, flatten_params
from warmup_theory.numerics.curvature.result import SpectralNormResult
from warmup_theory.numerics.curvature.spectral_norm import solve_problem
from warmup_theory.numerics.device import resolve_device

__all__ = ["model_hessian_norm", "model_problem", "check_deterministic"]

_DROPOUTS = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.FeatureAlphaDropout)


def check_deterministic(model: nn.Module) -> None:
    """Raise ``ValueError`` if ``model`` is stochastic or batch-dependent in its current mode."""
    for name, mod in model.named_modules():
        if not mod.training:
            continue
        where = name or type(model).__name__
        if isinstance(mod, _DROPOUTS) and mod.p > 0:
            raise ValueError(f"model has dropout p={mod.p} at {where!r} in training mode: the loss is "
                             "random; call model.eval() or set p=0")
        if isinstance(mod, nn.MultiheadAttention) and mod.dropout > 0:
            raise ValueError(f"model has attention dropout {mod.dropout} at {where!r} in training mode; "
                             "call model.eval() or set dropout=0")
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            raise ValueError(f"model has batch norm at {where!r} in training mode: the loss depends on "
                             "the batch composition and running statistics would change; call model.eval()")


def _to(x: Any, device: torch.device, dtype: torch.dtype) -> Any:
    if isinstance(x, torch.Tensor):
        return x.to(device=device, dtype=dtype) if x.is_floating_point() else x.to(device)
    if isinstance(x, (tuple, list)):
        return type(x)(_to(t, device, dtype) for t in x)
    return x


def model_problem(model: nn.Module, loss: Callable[[Any, Any], torch.Tensor], batches: Iterable[Any], *,
                  reduction: str = "mean", dtype: torch.dtype = torch.float64,
                  device: str | torch.device | None = None, hvp_mode: str = "auto",
                  graph_cache_bytes: int = GRAPH_CACHE_BYTES, process_group: Any = None) -> FlatProblem:
    """The full-dataset loss of ``model`` as a :class:`FlatProblem` (parameters as a dict by name).

    ``batches``: a re-iterable of ``(inputs, targets)`` pairs (a list or a DataLoader; a one-shot
    iterator is materialised); ``inputs`` a tensor or a tuple of tensors passed as
    ``model(*inputs)``. ``hvp_mode`` and ``graph_cache_bytes``: see
    :class:`~warmup_theory.numerics.curvature.hvp.FlatProblem` (default: one cached gradient graph per batch
    while they fit in 2 GiB of saved tensors, the remaining batches forward-over-reverse).
    ``process_group`` (a ``torch.distributed`` group, e.g. ``torch.distributed.group.WORLD``): ``batches``
    is this rank's shard and the problem is a
    :class:`~warmup_theory.numerics.curvature.distributed.ShardedProblem` (sums all-reduced; mean over the
    global sample count).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not callable(loss):
        raise TypeError(f"loss must be callable loss(output, target), got {type(loss).__name__}")
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point or dtype.is_complex:
        raise TypeError(f"dtype must be a real floating torch.dtype, got {dtype!r}")
    check_deterministic(model)
    dev = resolve_device(device)
    trainable = {k: p for k, p in model.named_parameters() if p.requires_grad}
    if not trainable:
        raise ValueError("no parameter of the model requires grad: nothing to differentiate "
                         "(set requires_grad=True on the parameters of interest)")
    for k, p in trainable.items():
        if p.is_complex():
            raise TypeError(f"parameter {k!r} is complex ({p.dtype}); only real parameters are supported")
    params = {k: p.detach().to(device=dev, dtype=dtype) for k, p in trainable.items()}
    fixed = {k: _to(p.detach(), dev, dtype) for k, p in model.named_parameters() if not p.requires_grad}
    fixed.update({k: _to(b, dev, dtype) for k, b in model.named_buffers()})
    if iter(batches) is batches:  # one-shot iterator
        batches = list(batches)
    data = []
    for i, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise ValueError(f"batch {i} must be an (inputs, targets) pair")
        x, y = _to(batch[0], dev, dtype), _to(batch[1], dev, dtype)
        if not isinstance(y, torch.Tensor) or y.ndim == 0:
            raise ValueError(f"batch {i}: targets must be a tensor with a batch dimension")
        data.append((x, y, y.shape[0]))
    total = sum(nb for *_, nb in data)
    if process_group is not None:  # global sample count; an empty shard raises on every rank
        counts = all_reduce_sum(torch.tensor([float(total), 0.0 if data else 1.0], dtype=torch.float64,
                                             device=dev), process_group)
        if not data:
            raise ValueError("batches is empty (on this rank)")
        if counts[1] > 0:
            raise ValueError("batches is empty on another rank of the process group")
        total = int(counts[0].item())
    if not data:
        raise ValueError("batches is empty")
    w, unflatten = flatten_params(params)

    def term(x: Any, y: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
        def f(v: torch.Tensor) -> torch.Tensor:
            args = x if isinstance(x, tuple) else (x,)
            return loss(functional_call(model, (unflatten(v), fixed), args), y)
        return f

    terms = [((nb / total) if reduction == "mean" else 1.0, term(x, y)) for x, y, nb in data]
    problem = FlatProblem(terms, w, unflatten, params, name="loss(model(x), y)", hvp_mode=hvp_mode,
                          graph_cache_bytes=graph_cache_bytes)
    if dtype != torch.float64:  # the same loss in float64 (data cast per call), to measure rounding
        def term64(x: Any, y: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
            def f(v: torch.Tensor) -> torch.Tensor:
                x64 = _to(x, dev, torch.float64)
                args = x64 if isinstance(x64, tuple) else (x64,)
                fixed64 = {k: _to(t, dev, torch.float64) for k, t in fixed.items()}
                return loss(functional_call(model, (unflatten(v), fixed64), args), _to(y, dev, torch.float64))
            return f

        problem.float64_terms = [(c, term64(x, y)) for (c, _), (x, y, _) in zip(terms, data)]
    if process_group is not None:
        return ShardedProblem.from_problem(problem, process_group)
    return problem


def model_hessian_norm(model: nn.Module, loss: Callable[[Any, Any], torch.Tensor], batches: Iterable[Any], *,
                       reduction: str = "mean", method: str = "auto", tol: float = 1e-6,
                       max_hvps: int | None = None, v0: Any = None, generator: torch.Generator | None = None,
                       delta: float = 1e-3, stop: str = "auto", dtype: torch.dtype = torch.float64,
                       device: str | torch.device | None = None, hvp_mode: str = "auto",
                       graph_cache_bytes: int = GRAPH_CACHE_BYTES, memory_budget: int | None = None,
                       basis_dtype: torch.dtype = torch.float64, threads: int | None = None,
                       process_group: Any = None, reorth: str = "full") -> SpectralNormResult:
    """||∇²f(w)||_2 of the full-dataset loss (module docstring for f, mean vs sum).

    Same solver options as :func:`~warmup_theory.numerics.curvature.hessian_spectral_norm`; ``dtype``
    (default float64) and ``device`` (default: CUDA when available, else CPU) apply to copies
    of the parameters, buffers and data. The eigenvector is a dict keyed by parameter name.
    ``hvp_mode`` (``"auto"``, ``"forward-over-reverse"``, ``"reverse-over-reverse"``) and
    ``graph_cache_bytes``: how HVPs are computed and the memory the cached gradient graphs may
    hold (:mod:`warmup_theory.numerics.curvature.hvp`); every mode gives the exact H v up to rounding.
    ``memory_budget``, ``basis_dtype``, ``threads``, ``reorth``: as in ``hessian_spectral_norm``.

    Data parallel: with ``process_group`` (inside an initialised ``torch.distributed`` group), call it
    on every rank with that rank's shard as ``batches`` and the same model parameters and ``v0``;
    HVPs and losses are all-reduced, the solver runs identically on every rank (the start's seed is
    drawn from ``generator`` on rank 0 and broadcast), every rank returns the same result, equal to
    the single-process run on all the data up to rounding
    (:mod:`warmup_theory.numerics.curvature.distributed`).
    """
    problem = model_problem(model, loss, batches, reduction=reduction, dtype=dtype, device=device,
                            hvp_mode=hvp_mode, graph_cache_bytes=graph_cache_bytes, process_group=process_group)
    if process_group is not None:
        generator = synced_generator(generator, process_group)
    out = solve_problem(problem, method=method, tol=tol, max_hvps=max_hvps, v0=v0, generator=generator,
                        delta=delta, stop=stop, memory_budget=memory_budget, basis_dtype=basis_dtype,
                        threads=threads, reorth=reorth)
    if process_group is not None:
        check_same_on_all_ranks(out.value, process_group, "spectral norm")
    return out
