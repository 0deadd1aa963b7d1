"""BatchedRuns (vmap over stacked parameters) against torch.optim run one model at a time."""

from __future__ import annotations

import pytest
import torch

from warmup_theory.numerics.models.lm import build_lm, lm_loss
from warmup_theory.numerics.schedule_study.batched import BatchedRuns, reference_step


@pytest.mark.parametrize("optimizer", ["adamw", "sgd"])
def test_batched_runs_equal_torch_optimizers_run_one_by_one(optimizer: str) -> None:
    torch.manual_seed(0)
    models = [build_lm("tiny", seed=s).double() for s in (0, 1, 2)]  # float64: no rounding noise
    lrs = torch.tensor([3e-3, 1e-2, 0.0] if optimizer == "adamw" else [0.3, 1.0, 0.0], dtype=torch.float64)
    refs = [build_lm("tiny", seed=s).double() for s in (0, 1, 2)]
    runs = BatchedRuns(models, lm_loss, optimizer=optimizer, clip=1.0)
    opts = [torch.optim.AdamW(m.parameters(), lr=float(lr), betas=(0.9, 0.95)) if optimizer == "adamw"
            else torch.optim.SGD(m.parameters(), lr=float(lr)) for m, lr in zip(refs, lrs, strict=True)]
    g = torch.Generator().manual_seed(3)
    for _ in range(4):
        x = torch.randint(0, 256, (3, 2, 16), generator=g)
        y = torch.randint(0, 256, (3, 2, 16), generator=g)
        losses = runs.step(x, y, lrs)
        for r, (m, opt) in enumerate(zip(refs, opts, strict=True)):
            loss = reference_step(m, opt, lm_loss, x[r], y[r], clip=1.0)
            assert float(losses[r]) == pytest.approx(float(loss), rel=1e-12)
    for r, m in enumerate(refs):
        for name, p in m.named_parameters():
            torch.testing.assert_close(runs.params[name][r], p.detach(), rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(runs.params["head.weight"][2], build_lm("tiny", seed=2).double().head.weight.detach())
    val = runs.evaluate(x[0], y[0], chunk=1)
    assert float(val[0]) == pytest.approx(float(lm_loss(refs[0](x[0]), y[0]).detach()), rel=1e-12)


def test_a_diverged_run_is_frozen_and_does_not_touch_the_others() -> None:
    nets = [torch.nn.Linear(2, 1) for _ in range(2)]
    runs = BatchedRuns(nets, lambda out, y: (out - y).pow(2).mean(), optimizer="sgd", clip=None)
    x = torch.ones(2, 3, 2)
    y = torch.stack([torch.full((3, 1), float("nan")), torch.zeros(3, 1)])
    before = runs.params["weight"].clone()
    runs.step(x, y, torch.tensor([0.1, 0.1]))
    assert runs.alive.tolist() == [False, True]
    torch.testing.assert_close(runs.params["weight"][0], before[0])
    assert not torch.equal(runs.params["weight"][1], before[1])
    with pytest.raises(ValueError, match="optimizer must be"):
        BatchedRuns(nets, lambda out, y: out.sum(), optimizer="adam")
