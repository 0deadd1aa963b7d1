"""Flat view of a loss and its exact Hessian-vector products (torch.func).

A problem is a weighted sum of scalar loss terms of one flat parameter vector w,

    f(w) = sum_b  c_b * f_b(w),

(one term for :func:`~warmup_theory.numerics.curvature.hessian_spectral_norm`, one per mini-batch for
:func:`~warmup_theory.numerics.curvature.model_hessian_norm`). The Hessian-vector product is the exact

    H v = sum_b c_b * d/dt grad f_b(w + t v) |_{t=0}

computed in one of three exact ways, recorded per term in ``FlatProblem.modes``:

* ``"reverse-over-reverse, cached graph"`` (``hvp_mode="auto"``, the default): the gradient
  g_b = grad f_b(w) is built once per problem with ``torch.autograd.grad(..., create_graph=True)``
  (the point w is fixed), and every HVP is one backward pass through that graph,
  ``torch.autograd.grad(g_b, w, v, retain_graph=True)`` = (d g_b/dw)^T v = H_b v (H_b symmetric).
  Because Lanczos evaluates all its HVPs at the same w, this costs ~1.2-1.5 gradients per HVP
  instead of ~3.8 (``benchmarks/curvature.py --hvp-only``). The graph holds the activations of
  the term and of its backward pass; graphs are kept while the bytes they save (counted with
  ``torch.autograd.graph.saved_tensors_hooks``) stay within ``graph_cache_bytes`` (default
  ``GRAPH_CACHE_BYTES`` = 2 GiB), and a term beyond the budget is not cached (next mode).
  The first product of each cached term is cross-checked against forward-over-reverse (to
  sqrt(eps) relative): a backward that silently is not twice differentiable (a custom
  ``autograd.Function`` marked ``@once_differentiable`` returns a create_graph gradient that
  drops terms) moves the term to forward-over-reverse instead of giving a wrong H v. So the
  first HVP costs ~2 gradients + one forward-over-reverse HVP, the later ones ~1.2-1.5.
* ``"forward-over-reverse"``: ``torch.func.jvp(torch.func.grad(f_b), (w,), (v,))``, no state kept.
* ``"reverse-over-reverse"``: ``torch.func.grad(w -> <grad f_b(w), v>)``, no state kept.

Fallbacks are automatic and for good: an operator without a double-backward rule moves a
cached term to forward-over-reverse; one without forward-mode support inside ``grad`` (in torch
2.13 ``F.mse_loss`` fails with "ZeroTensors are immutable") moves it to reverse-over-reverse.
All three give the same H v up to floating-point rounding (checked to 1e-10 relative in float64
in ``tests/test_curvature.py``).
Scaled-dot-product attention runs on its "math" back-end in every forward pass of an HVP or a dense
Hessian (the fused CPU/flash kernels have no second or forward-mode derivative); a cached graph built
that way is replayed as it is.

>>> import torch
>>> A = torch.tensor([[2., 1.], [1., -3.]], dtype=torch.float64)
>>> p = FlatProblem.from_loss(lambda w: 0.5 * w @ A @ w, torch.zeros(2, dtype=torch.float64))
>>> p.hvp(torch.tensor([1., 0.], dtype=torch.float64)).tolist()
[2.0, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
from torch.func import grad, jvp, vmap
from torch.nn.attention import SDPBackend, sdpa_kernel

__all__ = ["FlatProblem", "flatten_params", "check_loss_value", "HVP_MODES", "GRAPH_CACHE_BYTES"]

Term = tuple[float, Callable[[torch.Tensor], torch.Tensor]]

FOR = "forward-over-reverse"
ROR = "reverse-over-reverse"
CACHED = "reverse-over-reverse, cached graph"
#: accepted values of ``FlatProblem(hvp_mode=...)`` / ``model_hessian_norm(hvp_mode=...)``
HVP_MODES = ("auto", FOR, ROR)
#: default memory budget (bytes saved by the autograd graphs) of the cached-graph HVP mode
GRAPH_CACHE_BYTES = 2 * 1024 ** 3


class _GraphTooLarge(Exception):
    pass


def flatten_params(params: Any, name: str = "params") -> tuple[torch.Tensor, Callable[[torch.Tensor], Any]]:
    """Concatenate a tensor or a dict of tensors into a detached 1-D vector.

    Returns ``(w, unflatten)`` with ``unflatten(w)`` rebuilding the structure (differentiably).
    Raises ``TypeError`` for other containers, non-floating or complex dtypes, mixed dtypes
    or devices, and ``ValueError`` for an empty parameter set.
    """
    if isinstance(params, torch.Tensor):
        tensors, keys = [params], None
    elif isinstance(params, Mapping):
        keys = list(params)
        tensors = [params[k] for k in keys]
        for k, t in zip(keys, tensors):
            if not isinstance(t, torch.Tensor):
                raise TypeError(f"{name}[{k!r}] must be a torch.Tensor, got {type(t).__name__}")
    else:
        raise TypeError(f"{name} must be a torch.Tensor or a dict of tensors, got {type(params).__name__}")
    for t in tensors:
        if t.is_complex():
            raise TypeError(f"{name} must be real: complex dtype {t.dtype} is not supported "
                            "(the Hessian of a real loss in complex parameters is not symmetric)")
        if not t.is_floating_point():
            raise TypeError(f"{name} must have a floating dtype, got {t.dtype}")
    if len({t.dtype for t in tensors}) > 1 or len({t.device for t in tensors}) > 1:
        raise TypeError(f"{name}: all tensors must share one dtype and device")
    n = sum(t.numel() for t in tensors)
    if n == 0:
        raise ValueError(f"{name} must contain at least one parameter")
    w = torch.cat([t.detach().reshape(-1) for t in tensors])
    shapes = [t.shape for t in tensors]
    sizes = [t.numel() for t in tensors]

    if keys is None:
        shape = shapes[0]

        def unflatten(v: torch.Tensor) -> Any:
            return v.view(shape)
    else:
        def unflatten(v: torch.Tensor) -> Any:
            return {k: p.view(s) for k, p, s in zip(keys, torch.split(v, sizes), shapes)}
    return w, unflatten


def check_loss_value(value: Any, name: str = "loss_fn") -> float:
    """The loss must be a real, finite, 0-dimensional tensor; returns it as a float."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must return a torch.Tensor, got {type(value).__name__}")
    if value.ndim != 0:
        raise ValueError(f"{name} must return a scalar (0-dim) tensor, got shape {tuple(value.shape)}")
    if value.is_complex() or not value.is_floating_point():
        raise TypeError(f"{name} must return a real floating tensor, got {value.dtype}")
    x = float(value.detach())
    if not math.isfinite(x):
        raise ValueError(f"{name} returned a non-finite loss ({x}) at the given parameters")
    return x


class _Sum:
    """sum_i c_i (H_i v) without a zero-filled accumulator: the first term's own tensor (fresh from autograd)
    becomes the sum when c = 1 and it is a dense tensor laid out like ``like`` (the point w) that owns all of
    its storage and shares it with neither v nor w. Otherwise (c != 1, a pass-through backward returning v,
    an expanded HVP such as sum(v) * 1 of the loss (sum w)^2 / 2, whose entries share one memory location,
    a slice of a larger buffer, another dtype) the first term is written into a fresh tensor like w, so
    the result is always safe to update in place and has w's dtype, as with a zero-filled accumulator."""

    def __init__(self, v: torch.Tensor, like: torch.Tensor) -> None:
        self.ptrs = (v.untyped_storage().data_ptr(), like.untyped_storage().data_ptr())
        self.like = like
        self.out: torch.Tensor | None = None

    def _owned(self, t: torch.Tensor) -> bool:
        """t may become the sum: same shape, dtype and device as ``like``, contiguous, the whole storage."""
        like = self.like
        if t.shape != like.shape or t.dtype != like.dtype or t.device != like.device or not t.is_contiguous():
            return False
        try:
            st = t.untyped_storage()
        except (RuntimeError, NotImplementedError):  # storage-less tensor: copy
            return False
        return (t.storage_offset() == 0 and st.nbytes() == t.numel() * t.element_size()
                and st.data_ptr() not in self.ptrs)

    def add_(self, t: torch.Tensor, *, alpha: float) -> None:
        if self.out is not None:
            self.out.add_(t, alpha=alpha)
        elif alpha == 1 and self._owned(t):
            self.out = t
        else:
            self.out = torch.mul(t, alpha, out=torch.empty_like(self.like, memory_format=torch.contiguous_format))

    def result(self) -> torch.Tensor:
        return torch.zeros_like(self.like) if self.out is None else self.out


class FlatProblem:
    """f(w) = sum_b c_b f_b(w) at a fixed point w, with exact HVPs, gradient and dense Hessian."""

    def __init__(self, terms: Sequence[Term], w: torch.Tensor, unflatten: Callable[[torch.Tensor], Any],
                 template: Any = None, name: str = "loss_fn", *, hvp_mode: str = "auto",
                 graph_cache_bytes: int = GRAPH_CACHE_BYTES) -> None:
        if hvp_mode not in HVP_MODES:
            raise ValueError(f"hvp_mode must be one of {HVP_MODES}, got {hvp_mode!r}")
        if isinstance(graph_cache_bytes, bool) or not isinstance(graph_cache_bytes, int) or graph_cache_bytes < 0:
            raise ValueError(f"graph_cache_bytes must be an int >= 0, got {graph_cache_bytes!r}")
        self.terms = list(terms)
        self.w = w
        self.unflatten = unflatten
        self.template = template if template is not None else w
        self.n = w.numel()
        self.dtype = w.dtype
        self.device = w.device
        self.name = name
        self._grads = [grad(f) for _, f in self.terms]
        self.hvp_mode = hvp_mode
        self.graph_cache_bytes = graph_cache_bytes
        #: per term: the mode its HVPs use (``"auto"`` resolves at the first HVP)
        self.modes = [CACHED if hvp_mode == "auto" else hvp_mode] * len(self.terms)
        #: bytes saved by the cached autograd graphs (see module doc)
        self.graph_bytes = 0
        self._graphs: dict[int, tuple[torch.Tensor, torch.Tensor, int]] = {}
        self._graph_key: tuple[int, int] | None = None
        self._over_budget = False
        self.hvp_count = 0
        #: the same terms evaluated in float64 (for ``hvp_float64``), when the loss needs other
        #: float64 data than the parameters (e.g. a model's inputs); None: use ``terms``.
        self.float64_terms: list[Term] | None = None
        #: terms whose cached-graph products passed the cross-check below (here or, via ``adopt_checks``, at
        #: an earlier point of the same loss): their first product at this point is not cross-checked again
        self.checked: set[int] = set()

    @classmethod
    def from_loss(cls, loss_fn: Callable[[Any], torch.Tensor], params: Any, *, hvp_mode: str = "auto",
                  graph_cache_bytes: int = GRAPH_CACHE_BYTES) -> FlatProblem:
        """One term ``loss_fn(params)``; ``params`` a tensor or a dict of tensors."""
        if not callable(loss_fn):
            raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}")
        w, unflatten = flatten_params(params)
        return cls([(1.0, lambda v: loss_fn(unflatten(v)))], w, unflatten, params,
                   hvp_mode=hvp_mode, graph_cache_bytes=graph_cache_bytes)

    def loss(self, w: torch.Tensor | None = None) -> float:
        """f(w) (default: the problem's point), checked scalar, real and finite."""
        return self._local_loss(w)

    def _local_loss(self, w: torch.Tensor | None = None) -> float:
        """The sum over this process's terms (``loss`` in one process; a shard's part under
        :class:`~warmup_theory.numerics.curvature.distributed.ShardedProblem`)."""
        w = self.w if w is None else w
        with torch.no_grad():
            return sum(c * check_loss_value(f(w), self.name) for c, f in self.terms)

    def check_well_posed(self) -> float:
        """f(w) after three checks that would otherwise give a silently wrong ‖H‖: the loss is finite
        (:func:`check_loss_value`), it depends on the parameters (a detached loss has H = 0 for the wrong reason),
        and a second evaluation agrees to 1e-4 relative (dropout or a model left in training mode make every HVP a
        different random matrix). Both evaluations run with gradients on, as the HVPs do: without them torch may
        take other kernels (e.g. the fused inference path of ``nn.TransformerEncoderLayer``), whose rounding in
        bfloat16 alone can exceed 1e-4. Costs two forward passes; raises ``ValueError`` saying which check failed."""
        f0 = f1 = 0.0
        for first in (True, False):
            total = 0.0
            for c, f in self.terms:
                with torch.enable_grad():
                    value = f(self.w.detach().requires_grad_(True))
                total += c * check_loss_value(value, self.name)
                if first and not value.requires_grad:
                    raise ValueError(f"{self.name}'s value does not depend on the parameters (detached from them, "
                                     "e.g. by .item(), .detach() or torch.no_grad()): its Hessian would read as 0")
                del value  # its graph, before the next forward pass
            f0, f1 = (total, f1) if first else (f0, total)
        if not abs(f0 - f1) <= 1e-4 * max(1.0, abs(f0)):
            raise ValueError(f"{self.name} is not deterministic: two evaluations at the same parameters gave "
                             f"{f0!r} and {f1!r} (dropout or a model in training mode? call model.eval())")
        return f0

    def gradient(self, w: torch.Tensor | None = None) -> torch.Tensor:
        """grad f(w) as a flat vector."""
        w = self.w if w is None else w
        out = torch.zeros_like(w)
        for (c, _), g in zip(self.terms, self._grads):
            out.add_(g(w), alpha=c)
        return out

    def hvp(self, v: torch.Tensor) -> torch.Tensor:
        """Exact H(w) v (per term in the mode of ``modes``, module doc), in the problem's dtype;
        counts one HVP. Every forward pass it runs (a graph build and its cross-check, the recomputing modes)
        uses the math attention kernel, which has double and forward-mode derivatives; replays of a cached
        graph run none."""
        return self._hvp(v)

    def clear_graphs(self) -> None:
        """Free the cached gradient graphs (they are rebuilt at the next HVP if still in budget)."""
        self._graphs.clear()
        self.graph_bytes = 0
        self._graph_key = None

    def _build_graph(self, i: int, budget: int) -> tuple[torch.Tensor, torch.Tensor, int]:
        """(w_leaf, grad f_i(w_leaf)) with the graph of the gradient kept (create_graph=True).
        Raises ``_GraphTooLarge`` if the tensors it saves exceed ``budget`` bytes."""
        seen: dict[tuple[int, int], int] = {}
        total = [0]

        def pack(t: torch.Tensor) -> torch.Tensor:
            try:
                key = (t.untyped_storage().data_ptr(), t.untyped_storage().nbytes())
            except (RuntimeError, NotImplementedError):  # storage-less tensors: count the view
                key = (id(t), t.numel() * t.element_size())
            if key not in seen:
                seen[key] = key[1]
                total[0] += key[1]
                if total[0] > budget:
                    self._over_budget = True
                    raise _GraphTooLarge
            return t

        leaf = self.w.detach().clone().requires_grad_(True)
        with torch.enable_grad(), torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), \
                sdpa_kernel([SDPBackend.MATH]):
            val = self.terms[i][1](leaf)
            (g,) = torch.autograd.grad(val, leaf, create_graph=True, allow_unused=True, materialize_grads=True)
        self.graph_bytes += total[0]
        return leaf, g, total[0]

    def _hvp_cached(self, i: int, v: torch.Tensor) -> torch.Tensor:
        key = (id(self.w), self.w._version)
        if self._graph_key != key:  # the point moved: drop graphs built at the old one
            self.clear_graphs()
            self._graph_key = key
        first = i not in self._graphs
        if first:
            self._graphs[i] = self._build_graph(i, self.graph_cache_bytes - self.graph_bytes)
        leaf, g, _ = self._graphs[i]
        if g.requires_grad:
            (hv,) = torch.autograd.grad(g, leaf, v, retain_graph=True, allow_unused=True, materialize_grads=True)
        else:  # no graph behind the gradient: H = 0, or a backward that hid its own derivative
            hv = torch.zeros_like(self.w)
        if first and i not in self.checked:
            # Cross-check the first product against forward-over-reverse: a backward that is not
            # twice differentiable but does not say so (e.g. a custom autograd.Function marked
            # @once_differentiable, whose create_graph gradient silently drops terms) must not
            # give a wrong H v. Disagreement beyond sqrt(eps): this term uses forward-over-reverse.
            try:
                with sdpa_kernel([SDPBackend.MATH]):  # a forward pass (the fused kernels have no forward mode)
                    ref: torch.Tensor = jvp(self._grads[i], (self.w,), (v,))[1]
            except RuntimeError:  # no forward-mode rule: nothing to compare with
                self.checked.add(i)
                return hv
            except BaseException:  # not cross-checked: never use this graph unchecked later
                self.clear_graphs_of(i)
                raise
            scale = max(float(torch.linalg.vector_norm(ref)), float(torch.linalg.vector_norm(hv)))
            if float(torch.linalg.vector_norm(hv - ref)) > math.sqrt(torch.finfo(self.dtype).eps) * scale:
                self.clear_graphs_of(i)
                self.modes[i] = FOR
                return ref
            self.checked.add(i)
        return hv

    def checks(self) -> tuple[int, int, torch.dtype, torch.device, tuple[str, ...], frozenset[int]]:
        """What ``adopt_checks`` needs from this problem (small: no graphs, no tensors)."""
        return self.n, len(self.terms), self.dtype, self.device, tuple(self.modes), frozenset(self.checked)

    def adopt_checks(self, checks: tuple[int, int, torch.dtype, torch.device, tuple[str, ...], frozenset[int]]) -> bool:
        """Take over the HVP modes and passed cross-checks of the same loss at another point (``checks()`` of
        that problem), when n, the number of terms, dtype and device agree; returns whether it did. The
        cross-check guards against backward functions that are not twice differentiable; that is a property
        of the operations, the same at every point unless the loss branches on the parameters' values
        (:class:`~warmup_theory.numerics.curvature.tracker.CurvatureTracker` re-checks every ``recheck_every``
        measurements)."""
        n, terms, dtype, device, modes, checked = checks
        if (n, terms, dtype, device) != (self.n, len(self.terms), self.dtype, self.device):
            return False
        self.modes = list(modes)
        self.checked = set(checked)
        return True

    def clear_graphs_of(self, i: int) -> None:
        """Free the cached gradient graph of term ``i`` (if any)."""
        if i in self._graphs:
            self.graph_bytes -= self._graphs.pop(i)[2]

    def _hvp(self, v: torch.Tensor) -> torch.Tensor:
        v = v.to(dtype=self.dtype, device=self.device)
        out = _Sum(v, self.w)
        for i, ((c, _), g) in enumerate(zip(self.terms, self._grads)):
            if self.modes[i] == CACHED:
                try:
                    out.add_(self._hvp_cached(i, v), alpha=c)
                    continue
                except (_GraphTooLarge, RuntimeError):
                    self.clear_graphs_of(i)
                    self.modes[i] = FOR
                    if self._over_budget:  # later terms would not fit either: do not build them
                        self.modes = [FOR if m == CACHED and j > i else m for j, m in enumerate(self.modes)]
            with sdpa_kernel([SDPBackend.MATH]):
                if self.modes[i] == FOR:
                    try:
                        out.add_(jvp(g, (self.w,), (v,))[1], alpha=c)
                        continue
                    except RuntimeError:
                        self.modes[i] = ROR
                out.add_(grad(lambda u, g=g: torch.vdot(g(u), v))(self.w), alpha=c)
        self.hvp_count += 1
        return out.result()

    def hvp_float64(self, v: torch.Tensor) -> torch.Tensor | None:
        """H v recomputed in float64 at the same point (the problem's w cast to float64), or
        ``None`` when the problem is already float64 or the loss does not run in float64
        (an error, or a loss value that is not float64). ``float64_terms``, when set, replace
        ``terms`` here (the model API casts its data). Used to measure the rounding of
        lower-precision HVPs; not counted in ``hvp_count``."""
        if self.dtype == torch.float64:
            return None
        w = self.w.to(torch.float64)
        v = v.to(dtype=torch.float64, device=self.device)
        out = torch.zeros_like(w)
        try:
            with sdpa_kernel([SDPBackend.MATH]):
                for c, f in (self.terms if self.float64_terms is None else self.float64_terms):
                    val = f(w)
                    if not isinstance(val, torch.Tensor) or val.dtype != torch.float64:
                        return None
                    g = grad(f)
                    try:
                        hv = jvp(g, (w,), (v,))[1]
                    except RuntimeError:
                        hv = grad(lambda u, g=g: torch.vdot(g(u), v))(w)
                    if hv.dtype != torch.float64:
                        return None
                    out.add_(hv, alpha=c)
        except (RuntimeError, TypeError, ValueError):
            return None
        return out if bool(torch.isfinite(out).all()) else None

    def dense(self, chunk: int = 128) -> torch.Tensor:
        """The n x n Hessian, built ``chunk`` columns at a time (vmap of exact HVPs over unit
        vectors, so memory is bounded by ``chunk`` HVPs), problem dtype."""
        out = torch.zeros(self.n, self.n, dtype=self.dtype, device=self.device)
        eye = torch.eye(self.n, dtype=self.dtype, device=self.device)
        with sdpa_kernel([SDPBackend.MATH]):
            for i, ((c, _), g) in enumerate(zip(self.terms, self._grads)):
                for start in range(0, self.n, chunk):
                    basis = eye[start:start + chunk]
                    if self.modes[i] in (FOR, CACHED):  # vmap of jvp: all columns of a chunk at once
                        try:
                            cols = vmap(lambda v, g=g: jvp(g, (self.w,), (v,))[1])(basis)
                            out[start:start + chunk].add_(cols, alpha=c)
                            continue
                        except RuntimeError:
                            if self.modes[i] == FOR:
                                self.modes[i] = ROR
                    for r, v in enumerate(basis):  # H is symmetric: row = column
                        out[start + r].add_(grad(lambda u, g=g, v=v: torch.vdot(g(u), v))(self.w), alpha=c)
        return out
