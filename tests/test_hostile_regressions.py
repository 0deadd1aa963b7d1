"""Regressions from the hostile test of issue 15 (CLI argument names, eigsh's converged flag, non-finite HVPs)."""

from __future__ import annotations

import math

import pytest
import torch

from warmup_theory.cli import main
from warmup_theory.numerics.curvature import hessian_spectral_norm


@pytest.mark.parametrize(("argv", "flag"), [(["--kind", "pl", "--mu", "nan"], "--mu"),
                                            (["--kind", "aiming", "--theta", "-1", "--dist0", "1"], "--theta")])
def test_regime_names_the_flag_not_an_internal_argument(argv: list[str], flag: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regime", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{flag} must be in (0, inf)" in err[0] and "mu_or_theta" not in err[0]


def test_eigsh_is_never_converged_with_an_infinite_upper_end() -> None:
    g = torch.Generator().manual_seed(0)
    A = torch.randn(30, 30, generator=g, dtype=torch.float64)
    H = A + A.T
    w = torch.zeros(30, dtype=torch.float64)
    for seed in range(5):
        r = hessian_spectral_norm(lambda v: 0.5 * v @ H @ v, w, method="eigsh", tol=1e-10,
                                  generator=torch.Generator().manual_seed(seed))
        assert r.upper == math.inf and not r.converged
        assert r.note.startswith("ARPACK converged")
        assert r.value == pytest.approx(float(torch.linalg.eigvalsh(H).abs().max()), rel=1e-8)


def test_eigsh_raises_on_a_non_finite_hessian_like_the_other_methods() -> None:
    w = torch.zeros(10, dtype=torch.float64)

    def f(v: torch.Tensor) -> torch.Tensor:  # finite loss, infinite curvature at 0
        return v.abs().pow(1.5).sum()

    for method in ("lanczos", "eigsh"):
        with pytest.raises(ValueError, match="not finite"):
            hessian_spectral_norm(f, w, method=method, generator=torch.Generator().manual_seed(0))


def test_the_named_fixed_steps_fed_to_their_bounds_say_which_step_to_pass() -> None:
    from warmup_theory.theory.bounds import aiming_fixed_iterations, pl_fixed_iterations
    from warmup_theory.theory.bounds.steps import aiming_fixed_step, pl_fixed_step

    with pytest.raises(ValueError, match="pass eta=None"):
        pl_fixed_iterations(1.0, 1.0, 0.5, 10.0, 1e-3, eta=pl_fixed_step(1.0, 1.0, 0.5, 10.0))
    with pytest.raises(ValueError, match="pass eta=None"):
        aiming_fixed_iterations(1.0, 1.0, 1.0, 10.0, 1.0, 1e-3, eta=aiming_fixed_step(1.0, 1.0, 1.0, 10.0))
    assert pl_fixed_iterations(1.0, 1.0, 0.5, 10.0, 1e-3) == pl_fixed_iterations(
        1.0, 1.0, 0.5, 10.0, 1e-3, eta=pl_fixed_step(1.0, 1.0, 0.5, 10.0) / 2)


@pytest.mark.parametrize(("argv", "match"), [
    (["--gap0", "1:10:100000"], "1 <= N <= 200"),
    (["--out", "r.jpg"], "--out must end in .png or .svg"),
    (["--out", "/nonexistent-dir/x.png"], "--out: cannot write to the folder"),
])
def test_regime_refuses_unbounded_grids_and_unwritable_outputs_before_the_work(
        argv: list[str], match: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regime", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and match in err[0]


@pytest.mark.parametrize(("loss", "match"), [
    (lambda v: torch.tensor(float((v**2).sum().item()), dtype=torch.float64), "does not depend on the parameters"),
    (lambda v: torch.nn.functional.dropout(v, 0.5, training=True).pow(2).sum(), "is not deterministic"),
])
def test_detached_and_random_losses_are_refused_not_measured(loss: object, match: str) -> None:
    torch.manual_seed(0)
    for method in ("lanczos", "eigsh", "dense"):
        with pytest.raises(ValueError, match=match):
            hessian_spectral_norm(loss, torch.linspace(1, 2, 64, dtype=torch.float64), method=method)  # type: ignore[arg-type]


def test_printed_and_max_iter_are_checked_not_silently_accepted() -> None:
    from warmup_theory.theory.bounds import pl_adaptive_iterations, pl_fixed_lower_iterations
    from warmup_theory.theory.bounds.pl import pl_adaptive_recursion_iterations, pl_fixed_recursion_iterations

    for f in (pl_adaptive_iterations, pl_fixed_lower_iterations):
        with pytest.raises(TypeError, match="printed must be True or False"):
            f(1.0, 1.0, 0.5, 10.0, 1e-3, printed="no")  # type: ignore[operator]
    for f in (pl_adaptive_recursion_iterations, pl_fixed_recursion_iterations):
        with pytest.raises(ValueError, match="max_iter must be an integer >= 0"):
            f(1.0, 1.0, 0.5, 10.0, 1e-3, max_iter=float("nan"))  # type: ignore[operator]


def test_thm41_3_sampled_check_catches_a_too_small_eta_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps are sampled beyond η̄: with η̄ (wrongly) halved, the lower bound it gives is beaten by truly
    class-stable steps, and the claim fails (the old check, η <= η̄ only, passed)."""
    import warmup_theory.proofs_checks.claims.lower_bounds as lb
    from warmup_theory.proofs_checks.framework import registry, run_claim

    claim = registry()["Thm 4.1(3)"]
    assert run_claim(claim).verdict == "holds"
    upper, lower = lb.B.pl_fixed_step_upper, lb.B.pl_fixed_lower_iterations
    monkeypatch.setattr(lb.B, "pl_fixed_step_upper", lambda *a: upper(*a) * 0.5)
    monkeypatch.setattr(lb.B, "pl_fixed_lower_iterations",
                        lambda h0, h1, m, g, e: lower(h0, h1, m, g, e, eta=upper(h0, h1, m, g) * 0.5))
    res = run_claim(claim)
    beyond = [s for s in res.steps if s.description.startswith("η up to 4η̄")]
    assert res.verdict == "failed" and len(beyond) == 1 and not beyond[0].ok
