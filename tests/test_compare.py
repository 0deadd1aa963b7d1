"""``compare`` and ``warmup-theory compare``: bounds from the calculators, counts re-run independently, verdict."""

from __future__ import annotations

import json
import math

import pytest

import warmup_theory as wt
import warmup_theory.theory.bounds as tb
from warmup_theory.cli import main
from warmup_theory.numerics.comparison import class_members, compare
from warmup_theory.theory.hard_functions import pl_hard_numeric


def _plain_gd(f, df, w0: float, alpha: float, beta: float, eps: float, max_iter: int) -> int | None:
    """A scalar Python GD loop, independent of the batched engine: the first k with f(w_k) <= eps."""
    w = w0
    for k in range(max_iter + 1):
        g = f(w)
        if g <= eps:
            return k
        w -= df(w) / (alpha + beta * g)
    return None


@pytest.fixture(scope="module")
def question2():
    return compare(1.0, 5.0, mu=0.1, gap0=100.0, eps=1e-8)


def test_question2_bounds_come_from_the_calculators(question2):
    rows = {r.schedule: r for r in question2.rows}
    assert rows["warmup"].upper == tb.pl_adaptive_iterations(1.0, 5.0, 0.1, 100.0, 1e-8) == 203_024
    assert rows["fixed 1/L0"].upper == tb.pl_fixed_iterations(1.0, 5.0, 0.1, 100.0, 1e-8) == 115_348
    assert rows["fixed eta_bar"].lower == tb.pl_fixed_lower_iterations(1.0, 5.0, 0.1, 100.0, 1e-8) == 4_163
    a, b = tb.BEST_ADAPTIVE_FAMILY
    assert rows["warmup-family"].upper == tb.pl_adaptive_family_iterations(1.0, 5.0, 0.1, 100.0, 1e-8, a, b)
    assert question2.provably_faster is False and "not provably faster" in question2.verdict
    assert question2.broken == ()


def test_question2_observed_counts_match_a_plain_loop(question2):
    f, df = pl_hard_numeric(5.0, 0.1)
    hard = next(m for m in question2.members if m.name == "hard")
    for r, (alpha, beta) in zip(question2.rows[::2], [(10.0, 100.0), (501.0, 0.0)]):
        assert r.observed["hard"] == _plain_gd(f, df, hard.w0, alpha, beta, 1e-8, 100_000)
    assert question2.rows[0].observed["hard"] == 952 and question2.rows[2].observed["hard"] == 39_609


def test_members_start_inside_the_hypotheses():
    for kw in ({"mu": 0.1, "theta": None, "dist0": None}, {"mu": None, "theta": 1.0, "dist0": 2.0}):
        ms = class_members(1.0, 5.0, gap0=100.0, eps=1e-6, **kw)
        assert {m.name for m in ms} == {"hard", "cosh", "quadratic"}
        for m in ms:
            assert m.gap0 <= 100.0
            if kw["dist0"] is not None:
                assert m.dist0 <= kw["dist0"]


@pytest.mark.parametrize("H0,H1,mu,gap0,eps", [(1.0, 1.0, 0.5, 10.0, 1e-3), (2.0, 0.5, 0.2, 50.0, 1e-4),
                                               (1.0, 0.0, 0.5, 1.0, 1e-6)])
def test_no_observed_count_contradicts_a_bound(H0, H1, mu, gap0, eps):
    r = compare(H0, H1, mu=mu, gap0=gap0, eps=eps, max_iter=20_000)
    assert r.broken == ()
    for row in r.rows:
        for name, k in row.observed.items():
            if row.upper is not None:
                assert k is not None and k <= row.upper, (row.schedule, name)
        if row.lower is not None and row.observed.get("quadratic") is not None:
            assert row.observed["quadratic"] >= row.lower


def test_aiming_case_is_provably_faster_and_observed_so():
    r = compare(1.0, 10.0, theta=1.0, dist0=1.0, gap0=1e4, eps=0.1, max_iter=20_000)
    assert r.provably_faster is True and "is provably faster here" in r.verdict
    up = tb.aiming_adaptive_iterations(1.0, 10.0, 1.0, 1.0, 0.1, gap0=1e4)
    assert r.rows[0].upper == up < r.rows[3].lower == tb.aiming_fixed_lower_iterations(1.0, 10.0, 1.0, 1e4, 1.0, 0.1)
    assert r.rows[0].observed["hard"] < r.rows[3].observed["hard"]
    assert r.rows[1].upper is None and "none proven" in r.rows[1].upper_source


def test_facade_and_serialisation(question2):
    assert wt.compare is compare
    d = json.loads(json.dumps(question2.to_dict()))
    assert set(d) == {"inputs", "members", "rows", "verdict", "provably_faster", "broken", "max_iter", "seconds"}
    md = question2.to_markdown()
    assert md.startswith("| schedule |") and "**Verdict.**" in md
    assert all(len(line) <= 120 for line in str(question2).splitlines())


@pytest.mark.parametrize("kw,needle", [
    ({"mu": 0.1, "theta": 1.0}, "exactly one of mu"), ({}, "exactly one of mu"), ({"mu": 2.0}, "(0, H0]"),
    ({"theta": 1.0}, "dist0"), ({"mu": math.nan}, "mu must be"), ({"mu": 0.1, "max_iter": 0}, "max_iter"),
    ({"theta": 3.0, "dist0": 1.0}, "theta must be"),
])
def test_bad_input_names_the_argument(kw, needle):
    with pytest.raises(ValueError, match=needle.replace("(", r"\(").replace("]", r"\]")):
        compare(1.0, 1.0, gap0=10.0, eps=1e-3, **kw)
    with pytest.raises(ValueError, match="eps"):
        compare(1.0, 1.0, mu=0.5, gap0=10.0, eps=0.0)


def test_cli(capsys):
    base = ["compare", "--H0", "1", "--H1", "1", "--mu", "0.5", "--gap0", "10", "--eps", "1e-3"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "verdict: proven:" in out and max(len(x) for x in out.splitlines()) <= 120
    assert main(base + ["--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inputs"]["mu"] == 0.5
    assert main(base + ["--markdown"]) == 0
    assert capsys.readouterr().out.startswith("| schedule |")
    assert main(["compare", "--H0", "1", "--H1", "1", "--mu", "5", "--gap0", "10", "--eps", "1e-3"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "mu must be in (0, H0]" in err[0]
    assert main(base + ["--max-iter", "-1"]) == 2
    assert "--max-iter" in capsys.readouterr().err


def test_a_bound_that_is_too_small_is_reported_broken(monkeypatch) -> None:
    """The invariant check can fail: a (mutated) upper bound below what GD needs is reported, also when the run
    only stopped at max_iter (>= that bound), and the CLI exits 1."""
    monkeypatch.setattr(tb, "pl_fixed_iterations", lambda *a, **k: 5.0)
    r = compare(1.0, 1.0, mu=0.5, gap0=10.0, eps=1e-3, max_iter=60)
    assert any(b.startswith("fixed 1/L0 on hard: observed max_iter") for b in r.broken)   # hard needs 79 > 60
    assert any(b.startswith("fixed 1/L0 on cosh: observed 38") for b in r.broken)
    assert main(["compare", "--H0", "1", "--H1", "1", "--mu", "0.5", "--gap0", "10", "--eps", "1e-3"]) == 1
