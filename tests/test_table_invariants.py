"""Invariant checks of the table: pure functions fed with right and deliberately wrong bounds."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.numerics.table.invariants import (
    check_descent,
    check_lower,
    check_order,
    check_row,
    check_stable,
    check_upper,
    descent_applies,
    mark_rows,
    summary_line,
)
from warmup_theory.numerics.table.rows import CSV_COLUMNS, CSV_HEADER, Estimate, TableRow


def _row(**kw):
    base = dict(problem="p", schedule="warmup", H0=1.0, H1=1.0, mu=0.5, theta=1.0, gap0=10.0, eps=1e-6,
                observed=100, status="converged", max_iter=10_000)
    base.update(kw)
    return TableRow(**base)


def test_upper_holds_and_boundary():
    assert check_upper(observed=100, status="converged", upper=100.0, max_iter=1000) is None
    assert check_upper(observed=100, status="converged", upper=99.2, max_iter=1000) is None  # ceil 100
    assert check_upper(observed=101, status="converged", upper=100.0, max_iter=1000) is not None


def test_wrong_bound_divided_by_10_must_fail():
    """A real row from the cosh table (observed 149 <= Thm 4.3 bound 4244); the bound / 10 must fail loudly."""
    good = _row(observed=726, upper_closed=1852.0, upper_recursive=961.0, schedule="fixed-stable")
    assert check_row(good) == ((), ())
    bad = good.with_(upper_closed=1852.0 / 10, upper_recursive=961.0 / 10)
    viol, _ = check_row(bad)
    assert len(viol) == 2 and "upper_closed" in viol[0] and "upper_recursive" in viol[1]
    marked = mark_rows([good, bad])
    assert marked[0].violations == () and marked[1].violations
    assert summary_line(marked).startswith("INVARIANTS BROKEN: 1 of 2 rows")


def test_witness_lower_bound():
    w = _row(schedule="fixed-stable", observed=1856, lower=1852.0, witness=True)
    assert check_row(w) == ((), ())
    too_high = w.with_(lower=1852.0 * 10)
    viol, _ = check_row(too_high)
    assert viol and viol[0].startswith("lower: observed 1856 < lower bound")


def test_stability_and_divergence():
    assert check_stable("fixed-stable", "diverged") == "class-stable fixed step diverged"
    assert check_stable("fixed-oracle", "diverged") is None
    r = _row(schedule="fixed-stable", status="diverged", observed=None)
    viol, _ = check_row(r)
    assert viol == ("class-stable fixed step diverged",)
    # a diverged run under a proven upper bound breaks the bound too
    assert check_upper(observed=None, status="diverged", upper=50.0, max_iter=100) is not None


def test_max_iter_undecided_vs_violation():
    assert check_upper(observed=None, status="max_iter", upper=1e9, max_iter=100).startswith("max_iter=100 <")
    v, u = check_row(_row(status="max_iter", observed=None, upper_closed=1e9, max_iter=100))
    assert v == () and len(u) == 1
    v, u = check_row(_row(status="max_iter", observed=None, upper_closed=50.0, max_iter=100))
    assert len(v) == 1 and u == ()
    assert check_lower(observed=None, status="max_iter", lower=50.0, max_iter=100) is None


def test_order_and_negative_bound():
    assert check_order(10.0, 20.0) is None
    assert "recursion bound" in check_order(30.0, 20.0)
    assert "negative" in check_upper(observed=1, status="converged", upper=-3.0, max_iter=10)
    assert check_upper(observed=1, status="converged", upper=math.nan, max_iter=10) is None


def test_row_validation():
    with pytest.raises(ValueError, match="status"):
        _row(status="exploded")
    with pytest.raises(ValueError, match="observed"):
        _row(observed=None)
    assert len(_row().csv_cells()) == len(CSV_HEADER) == len(CSV_COLUMNS) + 1
    assert _row().csv_cells()[-1] == "ok"
    with pytest.raises(ValueError, match="estimated"):
        _row(estimated=("L",))


@settings(max_examples=200, deadline=None)
@given(obs=st.integers(0, 10**6), k=st.integers(0, 10**6), frac=st.sampled_from([0.0, 0.01, 0.5, 0.99]))
def test_upper_matches_definition(obs, k, frac):
    """K = k + frac promises gap_j <= eps for all j >= K, so the first hit is <= ceil(K)."""
    up = k + frac
    msg = check_upper(observed=obs, status="converged", upper=up, max_iter=None)
    first_allowed = k if frac == 0.0 else k + 1
    assert (msg is None) == (obs <= first_allowed)


def test_estimated_constant_downgrades_to_undecided():
    from warmup_theory.numerics.table.rows import Estimate

    r = _row(mu=Estimate(0.2, 0.2, 6.0, "trajectory"), observed=500, upper_closed=50.0)
    viol, unch = check_row(r)
    assert viol == () and len(unch) == 1 and "estimated constant" in unch[0]
    # the same numbers with a certified mu are a loud violation
    viol, _ = check_row(r.with_(mu=0.2))
    assert len(viol) == 1


# --- descent invariant ---------------------------------------------------------------------------

def test_gap_increase_on_warmup_is_flagged():
    r = _row(gap_increased=True, first_increase=41, upper_closed=1000.0)
    viol, unch = check_row(r)
    assert viol == ("descent: warmup increased the gap at step k=41 (f(w_42) - f* > f(w_41) - f*) although its "
                    "proof rests on the descent lemma",) and unch == ()
    (m,) = mark_rows([r])
    assert summary_line([m]).startswith("INVARIANTS BROKEN: 1 of 1 rows (descent: warmup increased the gap")
    assert m.invariants_cell().startswith("broken: descent: warmup increased the gap at step k=41")
    assert check_row(r.with_(gap_increased=False)) == ((), ())


@pytest.mark.parametrize("schedule,alpha,beta,applies", [
    ("warmup", 10.0, 20.0, True), ("fixed-stable", 11.0, 0.0, True),
    ("warmup-family", 1.0, 1.0, True), ("practical", 1.0, 2.0, True),
    ("warmup-family", 0.4, 1.0, False),          # a = 0.4 <= 1/2: outside the proven region
    ("practical", 1.0, 0.5, False),              # b = 0.5: not admissible
    ("fixed-oracle", 0.1, 0.0, False),           # an oracle step: no proof, no descent promise
])
def test_descent_applies_by_schedule(schedule, alpha, beta, applies):
    r = _row(schedule=schedule, alpha=alpha, beta=beta, H0=1.0, H1=1.0, status="diverged", observed=None,
             mu=None, upper_closed=None)
    assert descent_applies(r) is applies
    viol, _ = check_row(r)
    assert bool(viol) is applies


def test_diverged_run_without_any_bound_is_flagged():
    """Aiming-only problem (no upper bound on family rows): a diverged warmup-family / practical / warmup row
    must not pass silently (reviewer's reproducer)."""
    for sch in ("warmup-family", "practical", "warmup"):
        r = TableRow("quartic", sch, 36.0, 1.0, None, 1.0, 16.0, 1e-2, None, "diverged", max_iter=60000)
        viol, _ = check_row(r)
        assert viol == (f"descent: {sch} diverged although its proof rests on the descent lemma",), sch
    r = TableRow("quartic", "fixed-oracle", 36.0, 1.0, None, 1.0, 16.0, 1e-2, None, "diverged", max_iter=60000)
    assert check_row(r) == ((), ())
    # a diverged fixed-stable row is reported once (stability), not twice
    r = TableRow("quartic", "fixed-stable", 36.0, 1.0, None, 1.0, 16.0, 1e-2, None, "diverged",
                 gap_increased=True, first_increase=3)
    assert check_row(r)[0] == ("class-stable fixed step diverged",)


def test_descent_with_estimated_constants():
    # H0, H1 only estimated (deep-linear): a gap increase is undecided, not a theorem violation
    r = _row(gap_increased=True, first_increase=2, estimated=("H0", "H1"))
    viol, unch = check_row(r)
    assert viol == () and len(unch) == 1 and "estimated constant (H0, H1)" in unch[0]
    # only mu estimated (two-layer CE): descent uses certified (H0, H1) -> still a violation
    r = _row(gap_increased=True, first_increase=2, mu=Estimate(0.5, 0.0, 0.5, "trajectory"))
    viol, _ = check_row(r)
    assert len(viol) == 1 and viol[0].startswith("descent: ")
    assert check_descent("warmup", "converged", gap_increased=True, applies=False) is None


def test_summary_counts_estimated_rows_apart():
    dec = [_row(observed=5, upper_closed=10.0) for _ in range(3)]
    est = [_row(observed=5, upper_closed=10.0, estimated=("H0", "H1"))]
    und = [_row(status="max_iter", observed=None, upper_closed=1e9, max_iter=100)]
    line = summary_line(mark_rows(dec + est + und))
    assert line == ("invariants hold on all 3 decided rows; 1 rows rest on estimated constants (not theorem "
                    "checks); 1 rows undecided (max_iter below a bound)")
    assert summary_line(mark_rows(est)).startswith("NO ROW DECIDED: 0 of 1 rows decided")
