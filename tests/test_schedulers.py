"""The warm-up schedulers: formula against hand computation, monotone mode, decay shapes, exact resume,
param groups, non-finite losses, GradScaler, and equality with pytorch-warmup where installed."""

from __future__ import annotations

import math
import warnings

import pytest
import torch

from warmup_theory.numerics.schedulers import (
    LinearWarmup,
    LossAdaptiveWarmup,
    UntunedLinearWarmup,
    decay_value,
    untuned_warmup_steps,
)


def _opt(lr: float | list[float] = 1.0, kind: str = "sgd") -> torch.optim.Optimizer:
    lrs = [lr] if isinstance(lr, float) else lr
    groups = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": v} for v in lrs]
    return torch.optim.SGD(groups) if kind == "sgd" else torch.optim.AdamW(groups)


def _lrs(sched: LossAdaptiveWarmup, losses: list[float]) -> list[float]:
    out = []
    for loss in losses:
        sched.optimizer.step()
        sched.step(loss)
        out.append(sched.optimizer.param_groups[0]["lr"])
    return out


def test_formula_matches_hand_computation_with_bias_corrected_ema() -> None:
    losses, beta, C, f_star, peak = [5.0, 4.0, 4.5, 2.0, 3.0], 0.9, 0.7, 0.5, 0.2
    sched = LossAdaptiveWarmup(_opt(peak), C=C, f_star=f_star, smoothing=beta, monotone=False)
    got = _lrs(sched, losses)
    m, want = 0.0, []
    for t, loss in enumerate(losses, start=1):
        m = beta * m + (1 - beta) * loss
        want.append(peak / (1 + C * (m / (1 - beta**t) - f_star)))
    assert got == pytest.approx(want, rel=1e-14, abs=0)
    assert sched.smoothed_loss == pytest.approx(m / (1 - beta**5), rel=1e-14)


def test_monotone_mode_never_decreases_and_non_monotone_follows_the_loss() -> None:
    losses = [4.0, 1.0, 3.0, 0.5, 2.0]
    mono = _lrs(LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0), losses)
    free = _lrs(LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0, monotone=False), losses)
    assert free == pytest.approx([1 / (1 + v) for v in losses])
    assert mono == pytest.approx([0.2, 0.5, 0.5, 1 / 1.5, 1 / 1.5])
    assert all(b >= a for a, b in zip(mono, mono[1:], strict=False))


def test_warmup_ends_at_threshold_then_follows_the_decay_shape() -> None:
    sched = LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0, decay="cosine", total_steps=10)
    assert sched.get_last_lr() == [0.0]  # no loss yet, no initial_loss: lr 0
    lrs = _lrs(sched, [1.0, 1e-4] + [5.0] * 8)
    assert sched.warmup_end_step == 2 and sched.warmup_done
    assert lrs[0] == pytest.approx(0.5 * decay_value("cosine", 1, total_steps=10, decay_fraction=0.2, peak=1.0,
                                                     final=0.0))
    for t in range(2, 10):  # after the warm-up the loss no longer matters: lr = d_t exactly
        assert lrs[t - 1] == decay_value("cosine", t, total_steps=10, decay_fraction=0.2, peak=1.0, final=0.0)


def test_warmup_cap_freezes_the_factor() -> None:
    sched = LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0, warmup_cap=2, monotone=False)
    lrs = _lrs(sched, [3.0, 1.0, 0.5, 9.0])
    assert lrs == pytest.approx([0.25, 0.5, 0.5, 0.5]) and sched.warmup_end_step == 2


@pytest.mark.parametrize("decay", ["cosine", "linear", "wsd"])
def test_decay_shapes_by_hand(decay: str) -> None:
    T, peak, final = 10, 2.0, 0.1
    values = [decay_value(decay, t, total_steps=T, decay_fraction=0.2, peak=peak, final=final) for t in range(12)]
    assert values[0] == peak and values[10] == values[11] == final
    if decay == "cosine":
        assert values[5] == pytest.approx(final + (peak - final) / 2)
        assert values[2] == pytest.approx(final + (peak - final) * (1 + math.cos(math.pi * 0.2)) / 2)
    elif decay == "linear":
        assert values[4] == pytest.approx(peak - (peak - final) * 0.4)
    else:
        assert values[:9] == [peak] * 9  # hold through 8 = 0.8·T, then linear to final at T
        assert values[9] == pytest.approx((peak + final) / 2)
    assert all(b <= a for a, b in zip(values, values[1:], strict=False))


def _train(sched_factory: object, steps: int, state: dict[str, object] | None = None) -> tuple[list[float], dict]:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    opt = torch.optim.AdamW([{"params": [model.weight], "lr": 1e-2}, {"params": [model.bias], "lr": 3e-2}])
    sched = sched_factory(opt)  # type: ignore[operator]
    g = torch.Generator().manual_seed(1)
    start = 0
    if state is not None:
        model.load_state_dict(state["model"])  # type: ignore[arg-type]
        opt.load_state_dict(state["opt"])  # type: ignore[arg-type]
        sched.load_state_dict(state["sched"])  # type: ignore[arg-type]
        g.set_state(state["gen"])  # type: ignore[arg-type]
        start = int(state["t"])  # type: ignore[call-overload]
    lrs = []
    for _t in range(start, start + steps):
        x = torch.randn(8, 4, generator=g)
        loss = (model(x) - x.sum(1, keepdim=True)).pow(2).mean()
        opt.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
        sched.step(loss) if isinstance(sched, LossAdaptiveWarmup) else sched.step()
        lrs.extend(float(grp["lr"]) for grp in opt.param_groups)
    snap = {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
            "gen": g.get_state(), "t": start + steps}
    return lrs, snap


@pytest.mark.parametrize("factory", [
    lambda o: LossAdaptiveWarmup(o, C=0.5, decay="wsd", total_steps=100),
    lambda o: LinearWarmup(o, 30, decay="cosine", total_steps=100, final_lr=[1e-4, 1e-3]),
], ids=["loss_adaptive", "linear"])
def test_resume_is_bit_exact_with_two_param_groups(factory: object) -> None:
    full, _ = _train(factory, 100)
    first, snap = _train(factory, 50)
    second, _ = _train(factory, 50, state=snap)
    assert first + second == full  # bit for bit
    assert full[0] != full[1]  # the groups keep their own peaks


def test_param_groups_keep_their_own_peaks() -> None:
    sched = LossAdaptiveWarmup(_opt([1.0, 0.1]), C=1.0, smoothing=0.0, initial_loss=1.0)
    assert sched.get_last_lr() == pytest.approx([0.5, 0.05])
    sched.step(3.0)
    assert sched.get_last_lr() == pytest.approx([0.5, 0.05])  # monotone: no decrease
    with pytest.raises(ValueError, match="peak_lr has 3 entries"):
        LossAdaptiveWarmup(_opt([1.0, 0.1]), C=1.0, peak_lr=[1.0, 1.0, 1.0])


def test_from_constants_is_the_paper_step() -> None:
    H0, H1, f_star = 2.0, 3.0, 0.25
    sched = LossAdaptiveWarmup.from_constants(_opt(1.0), H0, H1, f_star=f_star, smoothing=0.0, monotone=False)
    for loss in (10.0, 1.0, 0.25):
        sched.step(loss)
        assert sched.get_last_lr()[0] == pytest.approx(1 / (10 * H0 + 20 * H1 * (loss - f_star)), rel=1e-14)


def test_nonfinite_losses_raise_with_the_step_or_are_skipped() -> None:
    sched = LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0)
    sched.step(1.0)
    with pytest.raises(ValueError, match="loss is nan at step 2"):
        sched.step(float("nan"))
    skip = LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0, on_nonfinite="skip")
    skip.step(1.0)
    skip.step(torch.tensor(float("inf")))
    assert skip.n_skipped == 1 and skip.get_last_lr() == [0.5] and skip.optimizer.param_groups[0]["lr"] == 0.5
    skip.step(0.0)
    assert skip.get_last_lr() == [1.0]


def test_loss_below_f_star_is_clamped_counted_and_warned_once() -> None:
    sched = LossAdaptiveWarmup(_opt(1.0), C=1.0, f_star=1.0, smoothing=0.0, monotone=False)
    with pytest.warns(UserWarning, match="f_star is wrong"):
        sched.step(0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step(0.2)
    assert sched.n_clamped == 2 and sched.get_last_lr() == [1.0]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"C": -1.0}, "C must be >= 0"),
    ({"C": float("nan")}, "C must be a finite number"),
    ({"C": 1.0, "peak_lr": float("inf")}, "peak_lr must be finite"),
    ({"C": 1.0, "smoothing": 1.0}, r"smoothing must be in \[0, 1\)"),
    ({"C": 1.0, "decay": "cosine"}, "needs total_steps"),
    ({"C": 1.0, "decay": "step"}, "decay must be one of"),
    ({"C": 1.0, "decay_fraction": 0.0, "decay": "wsd", "total_steps": 10}, r"decay_fraction must be in \(0, 1\]"),
    ({"C": 1.0, "final_lr": 2.0}, "final_lr must be <= peak_lr"),
    ({"C": 1.0, "on_nonfinite": "ignore"}, "on_nonfinite must be"),
    ({"C": 1.0, "warmup_cap": -1}, "warmup_cap must be"),
])
def test_bad_arguments_name_the_argument(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        LossAdaptiveWarmup(_opt(1.0), **kwargs)  # type: ignore[arg-type]


def test_step_without_a_loss_is_a_type_error() -> None:
    sched = LossAdaptiveWarmup(_opt(1.0), C=1.0)
    with pytest.raises(TypeError, match="needs the current loss"):
        sched.step()
    with pytest.raises(ValueError, match="warmup_steps must be"):
        LinearWarmup(_opt(1.0), 0)
    with pytest.raises(ValueError, match="needs an optimizer with betas"):
        UntunedLinearWarmup(_opt(1.0))


def test_untuned_rule_and_grad_scaler() -> None:
    assert untuned_warmup_steps(0.999) == 2000 and untuned_warmup_steps(0.99) == 200
    assert UntunedLinearWarmup(_opt(1.0, "adamw")).warmup_steps == 2000
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = LossAdaptiveWarmup(opt, C=1.0, smoothing=0.0)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**10)
    for _ in range(3):
        loss = model(torch.ones(2, 3)).pow(2).mean()
        opt.zero_grad()
        scaler.scale(loss).backward()  # type: ignore[no-untyped-call]
        scaler.step(opt)
        scaler.update()
        sched.step(loss)
        assert sched.get_last_lr()[0] == pytest.approx(0.1 / (1 + float(loss.detach())))


def test_hand_over_to_a_torch_scheduler_after_the_warmup() -> None:
    opt = _opt(1.0)
    warm = LossAdaptiveWarmup(opt, C=1.0, smoothing=0.0)
    warm.step(0.0)
    assert warm.warmup_done and opt.param_groups[0]["lr"] == 1.0
    after = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    opt.step()
    after.step()
    assert opt.param_groups[0]["lr"] == 0.5


@pytest.mark.parametrize("decay", [None, "cosine"])
def test_linear_warmup_equals_pytorch_warmup(decay: str | None) -> None:
    pw = pytest.importorskip("pytorch_warmup")
    T, W = 40, 12
    ref_opt = _opt([1.0, 0.3])
    base = torch.optim.lr_scheduler.CosineAnnealingLR(ref_opt, T_max=T, eta_min=0.0) if decay else None
    ref = pw.LinearWarmup(ref_opt, warmup_period=W)
    mine_opt = _opt([1.0, 0.3])
    mine = LinearWarmup(mine_opt, W, decay=decay, total_steps=T if decay else None)
    for _ in range(T):
        got = [g["lr"] for g in mine_opt.param_groups]
        want = [g["lr"] for g in ref_opt.param_groups]
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15)
        ref_opt.step()
        mine_opt.step()
        with ref.dampening():
            if base is not None:
                base.step()
        mine.step()


def test_loops_know_which_schedulers_take_the_loss() -> None:
    from warmup_theory.numerics.probe.loop import _step_scheduler

    assert LossAdaptiveWarmup.takes_loss and not LinearWarmup.takes_loss and not UntunedLinearWarmup.takes_loss
    adaptive = LossAdaptiveWarmup(_opt(1.0), C=1.0, smoothing=0.0)
    _step_scheduler(adaptive, 3.0)
    assert adaptive.get_last_lr() == [0.25]
    linear = LinearWarmup(_opt(1.0), 4)
    _step_scheduler(linear, 3.0)  # the loss is not passed as an epoch number
    assert linear.last_epoch == 1 and linear.get_last_lr() == [0.5]
