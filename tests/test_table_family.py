"""Family rows (warmup-family, practical): upper_closed = toolkit's Thm 4.3 for the row's (a, b).

The reference count is computed here from first principles (two-phase argument of
warmup_theory.theory.bounds.pl.pl_adaptive_family_iterations, with F(a, b) written out), not by calling the
toolkit, so a wrong (e.g. halved) closed form in the table fails ``test_closed_equals_independent_count``.
"""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import warmup_theory.theory.bounds as tb
from warmup_theory.numerics.table import runner
from warmup_theory.numerics.table.invariants import check_order, mark_rows
from warmup_theory.numerics.table.runner import family_ab, practical_ab, row_bounds, run_family
from warmup_theory.numerics.table.spec import Instance, TableConfig, family


def _ref_count(H0: float, H1: float, mu: float, gap0: float, eps: float, a: float, b: float) -> float:
    """Two-phase count: Δ⁺ <= Δ − Fμ/(2H1) while Δ >= T = H0/(2H1), then Δ⁺ <= (1 − Fμ/H0)Δ."""
    F = (2.0 - max(1.0 / a, 1.0 / b)) / (a + b / 2.0)
    if H1 == 0:
        return 0.0 if eps >= gap0 else float(math.ceil(H0 / (F * mu) * math.log(gap0 / eps)))
    T = H0 / (2.0 * H1)
    k1 = math.ceil(max(0.0, (gap0 - max(T, eps)) * 2.0 * H1 / (F * mu)))
    m = min(gap0, T)
    k2 = 0 if eps >= m else math.ceil(H0 / (F * mu) * math.log(m / eps))
    return float(k1 + k2)


def _run(name: str, schedules=("warmup-family", "practical", "warmup", "fixed-stable")):
    cfg = TableConfig(problems=(name,), schedules=tuple(schedules), quick=True, max_iter=20_000)
    return run_family(family(name), cfg)


@pytest.fixture(scope="module")
def pl_runs():
    return {n: _run(n) for n in ("cosh", "pl-hard", "pl-witness", "quadratic")}


def _ab(fr, row):
    inst = fr.instances[[i.label for i in fr.instances].index(row.problem)]
    return inst, (family_ab() if row.schedule == "warmup-family" else practical_ab(inst))


def test_closed_equals_independent_count(pl_runs):
    n = 0
    for fr in pl_runs.values():
        for row in fr.rows:
            if row.schedule not in ("warmup-family", "practical"):
                continue
            inst, (a, b) = _ab(fr, row)
            assert row.alpha == pytest.approx(a * inst.H0, rel=1e-12)       # the row ran that member
            assert row.upper_closed == _ref_count(inst.H0, inst.H1, inst.mu, inst.gap0, row.eps, a, b)
            assert "pl_adaptive_family_iterations" in row.notes
            n += 1
    assert n == 8


def test_family_cells_consistent(pl_runs):
    for fr in pl_runs.values():
        for row in fr.rows:
            if row.schedule not in ("warmup-family", "practical"):
                continue
            assert row.status == "converged" and not row.violations and not row.unchecked
            assert row.observed <= row.upper_recursive <= row.upper_closed
            assert check_order(row.upper_recursive, row.upper_closed) is None


def test_cosh_rows_by_hand(pl_runs):
    """cosh(1, 1), mu = 1, gap0 = 100, eps = 1e-6: T = 1/2; (1, 1) has F = 2/3, (1, 2) has F = 1/2."""
    rows = {r.schedule: r for r in pl_runs["cosh"].rows}
    g0, L = rows["warmup-family"].gap0, math.log(0.5 / rows["warmup-family"].eps)
    assert rows["warmup-family"].upper_closed == math.ceil((g0 - 0.5) * 3) + math.ceil(1.5 * L)
    assert rows["practical"].upper_closed == math.ceil((g0 - 0.5) * 4) + math.ceil(2 * L)


def test_halved_family_bound_is_caught(monkeypatch):
    """A deliberately halved closed form must break the table's own invariants: on pl-hard the practical
    row's recursion (430) then exceeds the halved closed form (849/2)."""
    real = tb.pl_adaptive_family_iterations
    monkeypatch.setattr(tb, "pl_adaptive_family_iterations", lambda *a, **k: real(*a, **k) / 2)
    fr = _run("pl-hard", ("practical",))
    (row,) = fr.rows
    assert any(v.startswith("order: ") for v in row.violations), row.violations
    inst, (a, b) = _ab(fr, row)
    assert row.upper_closed != _ref_count(inst.H0, inst.H1, inst.mu, inst.gap0, row.eps, a, b)


def test_invariants_apply_to_family_closed_cell(pl_runs):
    row = next(r for r in pl_runs["cosh"].rows if r.schedule == "warmup-family")
    (bad,) = mark_rows([row.with_(upper_closed=row.observed - 1.0)])
    assert any(v.startswith("upper_closed: observed") for v in bad.violations)
    assert any(v.startswith("order: ") for v in bad.violations)


def _inst(mu=0.5, theta=None, dist0=None, H1=1.0, f_star=0.0) -> Instance:
    return Instance(label="t", family="t", problem=None, w0=None, H0=1.0, H1=H1, mu=mu, theta=theta,
                    f_star=f_star, gap0=10.0, dist0=dist0)


def test_inadmissible_practical_leaves_cell_empty(monkeypatch):
    monkeypatch.setattr(runner, "practical_ab", lambda inst: (0.4, 2.0))
    closed, rec, lower, notes = row_bounds(_inst(), "practical", 1e-3, 0.4, 2.0)
    assert closed is None and rec is None and lower is None
    assert any("outside the proven region" in n for n in notes)


def test_aiming_only_and_mismatch_leave_cells_empty():
    closed, rec, _, notes = row_bounds(_inst(mu=None, theta=1.0, dist0=1.0), "warmup-family", 1e-3, 1.0, 1.0)
    assert closed is None and rec is None and any("aiming-only" in n for n in notes)
    closed, rec, _, notes = row_bounds(_inst(), "warmup-family", 1e-3, 10.0, 20.0)   # not the (1, 1) member
    assert closed is None and rec is None and any("run used alpha" in n for n in notes)


def test_practical_member_with_positive_fstar_shift():
    """f* > f̂* = 0 shifts a' = 1 + 2H1 f*/H0; the closed cell uses that a'."""
    inst = _inst(f_star=2.0)
    a, b = practical_ab(inst)
    assert (a, b) == (5.0, 2.0)
    closed, rec, _, _ = row_bounds(inst, "practical", 1e-3, a * inst.H0, b * inst.H1)
    assert closed == _ref_count(1.0, 1.0, 0.5, 10.0, 1e-3, 5.0, 2.0) and rec <= closed


@settings(max_examples=60, deadline=None, derandomize=True)
@given(H0=st.floats(0.5, 10), H1=st.sampled_from([0.0, 0.01, 1.0, 10.0]), mu_frac=st.floats(0.2, 1.0),
       gap0=st.floats(0.01, 100), eps=st.sampled_from([1e-8, 1e-4, 1e-1]),
       a=st.floats(0.55, 10), b=st.floats(0.55, 10))
def test_recursion_below_closed_random(H0, H1, mu_frac, gap0, eps, a, b):
    """On the class (mu <= H0) the family recursion never exceeds the closed form (the table's order
    invariant for the new cells), and the closed form equals the independent count.  Instances whose
    count exceeds 20 000 are skipped (the recursion is a Python loop; keeps the test fast)."""
    mu = mu_frac * H0
    ref = _ref_count(H0, H1, mu, gap0, eps, a, b)
    assume(ref <= 20_000)
    closed, rec = runner._family_bounds(tb, "warmup-family", a, b, H0, H1, mu, gap0, eps, a * H0, b * H1, [])
    assert closed == ref
    assert rec is not None and check_order(rec, closed) is None
