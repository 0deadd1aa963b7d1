"""Sweep checks: a sweep where nothing reached eps must never read 'hold'; statuses and max_iter decide."""

import numpy as np

from warmup_theory.numerics.table.sweeps import (
    DESCENT_SCHEDULES,
    SWEEP_SCHEDULES,
    SweepResult,
    first_hits,
    run_sweeps,
    sweep_checks,
    sweep_violations,
)

P = "pl_witness q"
BOUNDS = ("warmup_upper_closed", "warmup_upper_recursive", "family_upper_recursive", "fixed_upper_closed",
          "fixed_upper_recursive", "fixed_lower")


def _sweep(status=None, observed=np.nan, bound=50.0, max_iter=60_000, run_status="diverged", errors=()):
    obs = {P: {s: np.array([[observed]]) for s in SWEEP_SCHEDULES}}
    bd = {P: {k: np.array([[bound]]) for k in BOUNDS}}
    sts = None if status is None else {P: {s: np.array([[status]], dtype=object) for s in SWEEP_SCHEDULES}}
    info = {P: {s: [{"status": run_status, "gap_increased": run_status == "diverged",
                     "first_increase": 0 if run_status == "diverged" else -1, "eta0": 0.1}]
                for s in DESCENT_SCHEDULES}}
    return SweepResult(np.array([10.0]), np.array([1e-4]), [P], obs, bd, 0.0, 1, 60000, "cpu",
                       status=sts, run_info=info if status is not None else None, max_iter=max_iter,
                       bound_errors=list(errors))


def test_all_diverged_is_a_violation_never_hold():
    chk = sweep_checks(_sweep(status="diverged"))
    assert chk.violations and chk.summary().startswith("BROKEN")
    assert any("diverged although the upper bound 50 applies" in v for v in chk.violations)
    assert any("descent" in v for v in chk.violations)
    assert chk.verdicts[(P, 0, 0)].startswith("broken: ")
    assert "hold" not in chk.summary()


def test_all_nan_without_status_is_undecided_never_hold():
    """The reviewer's reproducer: observed all NaN, no status known -> undecided, not 'hold (1 points checked)'."""
    chk = sweep_checks(_sweep(status=None))
    assert chk.violations == [] and chk.decided == 0 and chk.n_undecided == 1
    assert chk.summary().startswith("UNDECIDED: no point decided (0 points decided, 1 undecided")
    assert sweep_violations(_sweep(status=None)) == []


def test_max_iter_status_uses_engine_cap():
    # stopped at max_iter = 60000 >> bound 50: a violation
    chk = sweep_checks(_sweep(status="max_iter", run_status="max_iter"))
    assert any("not converged after max_iter=60000 >= upper bound 50" in v for v in chk.violations)
    # stopped at max_iter = 10 < bound 50: undecided
    chk = sweep_checks(_sweep(status="max_iter", run_status="max_iter", max_iter=10))
    assert chk.violations == [] and chk.decided == 0 and chk.summary().startswith("UNDECIDED")


def test_uncomputable_bound_is_listed_and_undecided():
    errs = [(P, b, 10.0, 1e-4, "ValueError: eta out of range") for b in BOUNDS]
    chk = sweep_checks(_sweep(status="converged", observed=5.0, bound=np.nan, run_status="converged", errors=errs))
    assert chk.violations == [] and chk.decided == 0
    assert len(chk.bound_errors) == len(BOUNDS) and "eta out of range" in chk.bound_errors[0]
    assert "6 bound cells could not be computed" in chk.summary()
    assert any("bound could not be computed (ValueError: eta out of range)" in u for u in chk.undecided)


def test_converged_within_bounds_holds():
    chk = sweep_checks(_sweep(status="converged", observed=5.0, bound=50.0, run_status="converged"))
    # the witness row also has fixed_lower = 50 > 5 observed: a broken lower bound
    assert any("fixed_lower: observed 5 < lower bound 50" in v for v in chk.violations)
    sw = _sweep(status="converged", observed=5.0, bound=50.0, run_status="converged")
    sw.bounds[P]["fixed_lower"][:] = 3.0
    chk = sweep_checks(sw)
    assert chk.violations == [] and chk.summary() == "hold (1 points decided, 0 undecided, 0 broken, of 1)"


def test_first_hits_ignores_nan_after_stop():
    h = np.array([[4.0, 4.0], [np.inf, 2.0], [np.nan, 0.5]])
    assert first_hits(h, np.array([1.0])).tolist() == [[-1, 2]]


def test_quick_sweep_statuses_and_eta():
    """The real --quick sweep: every point decided and holding, statuses recorded, fixed bounds at the run's eta."""
    import warmup_theory.theory.bounds as tb

    sw = run_sweeps(quick=True, grid=4, max_iter=20_000)
    chk = sweep_checks(sw)
    assert chk.violations == [] and chk.n_undecided == 0 and chk.decided == 24
    assert sw.max_iter == 20_000 and not sw.bound_errors
    for p in sw.problems:
        for s in SWEEP_SCHEDULES:
            for gi in range(sw.gap0s.size):
                for ei in range(sw.epss.size):
                    st = sw.status[p][s][gi, ei]
                    assert (st == "converged") == np.isfinite(sw.observed[p][s][gi, ei])
        for info in sw.run_info[p]["fixed-stable"]:
            assert not info["gap_increased"] and info["status"] == "converged"
    # the fixed-step bounds are evaluated at the fixed-stable run's own eta (1/(H0 + H1*gap0 target)),
    # not at 1/(H0 + H1*measured gap0)
    p = sw.problems[0]
    for gi, g0 in enumerate(sw.gap0s):
        info = sw.run_info[p]["fixed-stable"][gi]
        eta = info["eta0"]                                   # 1/alpha of the run
        assert abs(eta * (1.0 + float(g0)) - 1.0) <= 1e-15
        for ei, e in enumerate(sw.epss):
            want = tb.pl_fixed_iterations(1.0, 1.0, 1.0, info["gap0"], float(e), eta=eta)
            assert sw.bounds[p]["fixed_upper_closed"][gi, ei] == float(want)
    rows = sw.rows(chk)
    assert all(r["invariants"] == "ok" for r in rows) and "status_fixed-oracle" in rows[0]
