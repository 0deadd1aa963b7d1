"""Data-parallel HVPs: model_hessian_norm(..., process_group=...) on 2 gloo processes (spawned) equals the
single-process value on all the data to rounding; bad shards raise on every rank (no hang)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from warmup_theory.numerics.curvature import model_hessian_norm

CE = torch.nn.functional.cross_entropy


def _data() -> tuple[torch.nn.Module, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    model = torch.nn.Sequential(torch.nn.Linear(6, 40), torch.nn.Tanh(), torch.nn.Linear(40, 4))  # n = 444
    X, y = torch.randn(90, 6, generator=g), torch.randint(0, 4, (90,), generator=g)
    return model, X, y


def _shards(X: torch.Tensor, y: torch.Tensor, rank: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    # unequal shards (50 / 40 samples) in unequal batches: the mean must use the global count
    lo, hi = (0, 50) if rank == 0 else (50, 90)
    mid = lo + 17
    return [(X[lo:mid], y[lo:mid]), (X[mid:hi], y[mid:hi])]


def _worker(rank: int, port: int, out_dir: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    try:
        model, X, y = _data()
        res: dict[str, Any] = {}
        for method in ("lanczos", "dense", "eigsh"):
            r = model_hessian_norm(model, CE, _shards(X, y, rank), device="cpu", method=method, tol=1e-8,
                                   stop="bracket", generator=torch.Generator().manual_seed(5),
                                   process_group=dist.group.WORLD)
            res[method] = (r.value, r.lower, r.upper, r.hvps, r.converged)
        # an empty shard on rank 1 raises on both ranks instead of hanging
        try:
            model_hessian_norm(model, CE, _shards(X, y, 0) if rank == 0 else [], device="cpu",
                               process_group=dist.group.WORLD)
            res["empty"] = "no error"
        except ValueError as e:
            res["empty"] = str(e)
        # a NaN loss on rank 0 only raises on both ranks
        Xbad = X.clone()
        Xbad[0, 0] = float("nan")
        try:
            model_hessian_norm(model, CE, _shards(Xbad, y, rank), device="cpu", process_group=dist.group.WORLD)
            res["nan"] = "no error"
        except ValueError as e:
            res["nan"] = str(e)
        torch.save(res, Path(out_dir) / f"rank{rank}.pt")
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not dist.is_available(), reason="torch.distributed not available")
def test_two_gloo_ranks_match_single_process(tmp_path: Path) -> None:
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=2, join=True)
    r0, r1 = (torch.load(tmp_path / f"rank{i}.pt") for i in (0, 1))
    model, X, y = _data()
    single = model_hessian_norm(model, CE, [(X, y)], device="cpu", method="dense")
    truth = single.value
    for method in ("lanczos", "dense", "eigsh"):
        assert r0[method] == r1[method]  # identical on every rank (same seed, all-reduced products)
        value, lower, upper, hvps, converged = r0[method]
        assert value == pytest.approx(truth, rel=1e-10), method
        assert lower <= truth * (1 + 1e-12) and truth <= upper * (1 + 1e-12), method
    assert r0["lanczos"][4] and r0["dense"][4]
    # the distributed Lanczos run equals the single-process run with the same seed to rounding
    seed = int(torch.randint(0, 2 ** 62, (1,), generator=torch.Generator().manual_seed(5)).item())
    one = model_hessian_norm(model, CE, [(X, y)], device="cpu", method="lanczos", tol=1e-8, stop="bracket",
                             generator=torch.Generator().manual_seed(seed))
    assert r0["lanczos"][3] == one.hvps and r0["lanczos"][0] == pytest.approx(one.value, rel=1e-12)
    assert "empty" in r0["empty"] and "empty" in r1["empty"]
    assert "non-finite" in r0["nan"] and "another rank" in r1["nan"]
