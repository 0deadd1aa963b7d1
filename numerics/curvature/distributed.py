r"""Data-parallel Hessian-vector products under ``torch.distributed`` (the toolkit's own engine).

When the data set is split over processes (ranks), the full-dataset loss is a sum over shards,
f(w) = sum_r f_r(w) with f_r = sum_{b in shard r} c_b loss_b(w), so

    H v = sum_r ∇²f_r(w) v,    f(w) = sum_r f_r(w),    ∇f(w) = sum_r ∇f_r(w).

:class:`ShardedProblem` is a :class:`~warmup_theory.numerics.curvature.hvp.FlatProblem` over the local
shard whose ``hvp``, ``loss``, ``gradient``, ``hvp_float64`` and ``dense`` all-reduce (SUM) over the
process group after the local computation (``torch.distributed.all_reduce``: gloo on CPU, NCCL on
GPUs, the same code). The solvers then run identically on every rank: same start vector (the
generator is seeded identically, see :func:`synced_generator`), same all-reduced products, so
every rank returns the same result, equal to the single-process run up to the rounding of the
summation order. The mean normalisation uses the global sample count (all-reduced).

The well-posedness checks (finite loss, attached, deterministic) run on every shard and their
outcome is all-reduced, so a failure on one rank raises ``ValueError`` on all ranks instead of
leaving the others waiting in a collective.

Use: inside an initialised process group, ``model_hessian_norm(model, loss, local_batches,
process_group=group)`` (``torch.distributed.group.WORLD`` for the default group); see
tests/test_curvature_distributed.py for a 2-process gloo run.

>>> ShardedProblem.__mro__[1].__name__
'FlatProblem'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import torch
import torch.distributed as dist

from warmup_theory.numerics.curvature.hvp import FlatProblem

T = TypeVar("T")

__all__ = ["ShardedProblem", "synced_generator", "all_reduce_sum", "check_same_on_all_ranks"]


def all_reduce_sum(t: torch.Tensor, group: Any) -> torch.Tensor:
    """``t`` summed over ``group`` (in place; returned)."""
    dist.all_reduce(t, op=dist.ReduceOp.SUM, group=group)
    return t


def _any_rank(flag: bool, group: Any, device: torch.device) -> bool:
    t = torch.tensor([1.0 if flag else 0.0], dtype=torch.float64, device=device)
    return bool(all_reduce_sum(t, group).item() > 0)


def synced_generator(generator: torch.Generator | None, group: Any) -> torch.Generator:
    """A CPU generator seeded identically on every rank: ``generator`` is used to draw the seed on
    rank 0 (or a fresh seed when None) and the seed is broadcast from rank 0 of the group."""
    seed = torch.empty(1, dtype=torch.int64)
    if dist.get_rank(group) == 0:
        seed[0] = int(torch.randint(0, 2 ** 62, (1,), generator=generator).item())
    dist.broadcast(seed, src=dist.get_global_rank(group, 0) if group is not None else 0, group=group)
    return torch.Generator().manual_seed(int(seed.item()))


def check_same_on_all_ranks(value: float, group: Any, name: str = "result") -> None:
    """Raise ``ValueError`` on every rank if ``value`` differs between ranks (diverged solvers:
    a different ``v0`` per rank, or a model that differs between ranks)."""
    t = torch.tensor([value, -value], dtype=torch.float64)
    dist.all_reduce(t, op=dist.ReduceOp.MAX, group=group)
    if float(t[0]) != -float(t[1]):
        raise ValueError(f"the {name} differs between ranks ({-float(t[1])!r} .. {float(t[0])!r}): pass the same "
                         "parameters and v0 on every rank")


class ShardedProblem(FlatProblem):
    """A FlatProblem over this rank's terms whose sums are all-reduced over ``group`` (module doc)."""

    group: Any = None

    @classmethod
    def from_problem(cls, problem: FlatProblem, group: Any) -> ShardedProblem:
        """Wrap a local problem (its terms are this rank's shard)."""
        if not dist.is_available() or not dist.is_initialized():
            raise ValueError("process_group given but torch.distributed is not initialised "
                             "(call torch.distributed.init_process_group first)")
        out = cls.__new__(cls)
        out.__dict__.update(problem.__dict__)
        out.group = group
        return out

    def _collectively(self, fn: Callable[[], T], what: str) -> T:
        """``fn()`` on this rank; if it raises ValueError/TypeError on any rank, raise on every rank."""
        err: Exception | None = None
        out: Any = None
        try:
            out = fn()
        except (ValueError, TypeError) as e:
            err = e
        failed = _any_rank(err is not None, self.group, self.device)
        if err is not None:
            raise err
        if failed:
            raise ValueError(f"{self.name} {what} on another rank of the process group")
        return cast(T, out)

    def _sum_over_ranks(self, local: float) -> float:
        t = torch.tensor([local], dtype=torch.float64, device=self.device)
        return float(all_reduce_sum(t, self.group).item())

    def loss(self, w: torch.Tensor | None = None) -> float:
        return self._sum_over_ranks(self._collectively(lambda: self._local_loss(w), "failed"))

    def check_well_posed(self) -> float:
        # the local f(w) of the checks is summed: no further forward pass
        return self._sum_over_ranks(self._collectively(lambda: FlatProblem.check_well_posed(self),
                                                       "is not well posed"))

    def gradient(self, w: torch.Tensor | None = None) -> torch.Tensor:
        return all_reduce_sum(super().gradient(w), self.group)

    def hvp(self, v: torch.Tensor) -> torch.Tensor:
        return all_reduce_sum(super().hvp(v), self.group)

    def hvp_float64(self, v: torch.Tensor) -> torch.Tensor | None:
        local = super().hvp_float64(v)
        if _any_rank(local is None, self.group, self.device):
            return None
        assert local is not None
        return all_reduce_sum(local, self.group)

    def dense(self, chunk: int = 128) -> torch.Tensor:
        return all_reduce_sum(super().dense(chunk), self.group)
