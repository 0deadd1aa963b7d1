"""Runner: the stacked problem against per-problem autograd, and the witness row against its closed form."""

import numpy as np
import pytest
import torch

from warmup_theory.numerics.problems import cosh_problem, quadratic_problem, random_class_member
from warmup_theory.numerics.table.runner import StackedProblem, run_family, schedule_params
from warmup_theory.numerics.table.spec import TableConfig, family


def test_stacked_matches_each_problem_value_and_grad():
    probs = [cosh_problem(1.0, 2.0), quadratic_problem([1.0, 4.0, 9.0], seed=1), random_class_member(5, pl=True)]
    blocks = [0, 0, 1, 2, 2, 2]
    sp_ = StackedProblem(probs, blocks)
    g = torch.Generator().manual_seed(0)
    W = torch.randn(6, sp_.dim, generator=g, dtype=torch.float64)
    Wg = W.clone().requires_grad_(True)
    f = sp_.f(Wg)
    (grad,) = torch.autograd.grad(f.sum(), Wg)
    for r, b in enumerate(blocks):
        p = probs[b]
        w = W[r : r + 1, : p.dim].clone().requires_grad_(True)
        fr = p.f(w)
        (gr,) = torch.autograd.grad(fr.sum(), w)
        assert torch.allclose(f[r], fr[0], rtol=1e-14, atol=0)
        assert torch.allclose(grad[r, : p.dim], gr[0], rtol=1e-13, atol=1e-15)
        assert torch.all(grad[r, p.dim :] == 0)          # padded coordinates never move


def test_stacked_rejects_unsorted_blocks():
    with pytest.raises(ValueError, match="blocks"):
        StackedProblem([cosh_problem(), cosh_problem()], [1, 0])


def test_witness_row_equals_closed_form_count():
    """On q(w) = (mu/2)w^2 with step eta the gap is (1 - eta mu)^(2k) gap0: the observed count must be the
    exact count of warmup_theory.theory.bounds.pl_lower_bound_witness (an independent closed form), and >= lower."""
    from warmup_theory.theory.bounds import pl_lower_bound_witness

    cfg = TableConfig(problems=("pl-witness",), schedules=("fixed-stable", "warmup"), quick=True, max_iter=20_000)
    fr = run_family(family("pl-witness"), cfg)
    (row,) = [r for r in fr.rows if r.schedule == "fixed-stable"]
    inst = fr.instances[0]
    eta = 1.0 / row.alpha
    wt = pl_lower_bound_witness(inst.H0, inst.H1, inst.mu, inst.gap0, eta, eps=row.eps)
    assert row.witness and row.lower is not None
    assert abs(row.observed - wt.exact_iterations) <= 1          # float64 rounding at the threshold
    assert row.lower <= row.observed <= row.upper_recursive <= row.upper_closed
    assert not row.violations
    (warm,) = [r for r in fr.rows if r.schedule == "warmup"]
    assert warm.lower is None and not warm.witness


def test_oracle_grid_and_practical_params():
    inst = family("cosh").build(True, 0)[0]
    grid = schedule_params(inst, "fixed-oracle", 5)
    etas = [1.0 / a for a, _ in grid]
    assert len(grid) == 5 and all(b == 0 for _, b in grid)
    assert np.allclose(np.diff(np.log10(etas)), 1 / 8)
    (a, b), = schedule_params(inst, "practical", 5)
    assert (a, b) == (inst.H0, 2 * inst.H1)        # eta_peak = 1/H0, C = 2 H1/H0, fhat* = f* = 0


def test_runner_carries_gap_increase_into_rows_and_flags_it():
    """A member whose claimed H0 is 100x too small: Eq. (1)'s step overshoots, the engine's monitor sees the gap
    rise, the row carries gap_increased / first_increase, and the descent invariant flags it (JSON too)."""
    import json

    from warmup_theory.numerics.problems import quadratic_problem
    from warmup_theory.numerics.table.formats import to_json
    from warmup_theory.numerics.table.spec import Family, Instance

    def build(quick, seed):
        p = quadratic_problem([100.0])
        w0 = np.array([1.0])
        return [Instance(label="wrong_H0", family="t", problem=p, w0=w0, H0=1.0, H1=0.0, mu=None, theta=None,
                         f_star=0.0, gap0=50.0, dist0=None)]
    fam = Family("t", build, 1e-3, 1e-3)
    cfg = TableConfig(problems=("t",), schedules=("warmup", "fixed-oracle"), quick=True, max_iter=200, oracle_grid=2)
    fr = run_family(fam, cfg)
    warm = next(r for r in fr.rows if r.schedule == "warmup")
    assert warm.gap_increased and warm.first_increase == 0          # the very first step increases the gap
    assert warm.violations and warm.violations[0].startswith("descent: warmup ")
    doc = json.loads(to_json(fr.rows, {}))
    jw = next(r for r in doc["rows"] if r["schedule"] == "warmup")
    assert jw["gap_increased"] is True and jw["first_increase"] == 0 and jw["invariants"].startswith("broken: descent")
    oracle = next(r for r in fr.rows if r.schedule == "fixed-oracle")
    assert not any(v.startswith("descent") for v in oracle.violations)   # an oracle step promises nothing
