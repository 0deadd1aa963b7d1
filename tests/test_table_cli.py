"""End to end: `warmup-theory table --quick` into tmp_path, loud failure on a wrong bound, bad CLI args."""

import csv
import json
import types

import pytest

import warmup_theory.numerics
from warmup_theory.cli import main
from warmup_theory.numerics.table.rows import CSV_COLUMNS, CSV_HEADER, SCHEDULES


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("quick")
    import io
    from contextlib import redirect_stderr, redirect_stdout

    so, se = io.StringIO(), io.StringIO()
    with redirect_stdout(so), redirect_stderr(se):
        rc = main(["table", "--quick", "--out", str(out), "--seed", "3", "--device", "cpu"])
    return rc, out, so.getvalue(), se.getvalue()


def test_quick_end_to_end(quick_run):
    rc, out, stdout, stderr = quick_run
    assert rc == 0, stdout[-3000:] + stderr[-2000:]
    for name in ("table.md", "table.csv", "table.tex", "table.json", "sweep.csv",
                 "loss_vs_iteration.png", "step_vs_iteration.svg", "sweep_gap0.png", "sweep_eps.svg"):
        assert (out / name).stat().st_size > 0, name
    assert "| problem | schedule |" in (out / "table.md").read_text()   # the full table: table.md, --verbose
    assert "| problem | schedule |" not in stdout                         # the screen gets the summary
    assert "6/" in stderr or "[" in stderr              # progress bar on stderr


def test_quick_csv_contract(quick_run):
    _, out, _, _ = quick_run
    lines = (out / "table.csv").read_text().splitlines()
    assert lines[0] == ",".join(CSV_HEADER)
    assert CSV_HEADER == CSV_COLUMNS + ("invariants",)
    assert CSV_COLUMNS == ("problem", "schedule", "H0", "H1", "mu", "theta", "gap0", "eps", "observed", "status",
                           "upper_closed", "upper_recursive", "lower", "seconds", "seed", "device")
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    families = {"cosh", "pl_hard", "pl_witness", "aiming_witness", "quadratic", "w^4", "random_member"}
    assert {r["problem"].split("(")[0] for r in rows} >= families
    assert {r["schedule"] for r in rows} == set(SCHEDULES)
    for r in rows:
        assert r["invariants"] == "ok", r                  # --quick: certified constants only, all decided
        assert r["status"] in ("converged", "diverged", "max_iter")
        assert r["seed"] == "3" and r["device"] == "cpu"
        if r["status"] == "converged":
            obs = int(r["observed"])
            for b in ("upper_closed", "upper_recursive"):
                if r[b]:
                    assert obs <= float(r[b]), r
        if r["lower"]:
            assert r["problem"].startswith(("pl_witness", "aiming_witness")) and r["schedule"] == "fixed-stable"
            assert int(r["observed"]) >= float(r["lower"])
        if r["schedule"] == "fixed-stable":
            assert r["status"] != "diverged"
    # every warm-up row on a PL problem has both proven bounds
    warm = [r for r in rows if r["schedule"] == "warmup" and r["mu"]]
    assert warm and all(r["upper_closed"] and r["upper_recursive"] for r in warm)
    assert sum(bool(r["lower"]) for r in rows) == 2          # the PL and the aiming witness
    meta = [line for line in lines if line.startswith("#")]
    version = f"warmup-theory {warmup_theory.numerics.__version__}"
    assert any(version in m and "seed=3" in m and "device=cpu" in m for m in meta)


def test_quick_version_seed_device_everywhere(quick_run):
    _, out, _, _ = quick_run
    tag = f"warmup-theory {warmup_theory.numerics.__version__}"
    for name in ("table.md", "table.tex", "sweep.csv"):
        text = (out / name).read_text()
        assert tag in text and "seed=3" in text and "device=cpu" in text, name
    doc = json.loads((out / "table.json").read_text())
    assert doc["meta"]["version"] == warmup_theory.numerics.__version__ and doc["meta"]["seed"] == 3
    assert doc["summary"].startswith("invariants hold")
    svg = (out / "sweep_gap0.svg").read_text()
    assert tag in svg and "seed=3" in svg
    md = (out / "table.md").read_text()
    assert "invariants hold on all" in md and "decided rows" in md and "| ! |" not in md
    assert "sweep invariants: hold (24 points decided, 0 undecided, 0 broken, of 24)" in md
    assert all(r["invariants"] == "ok" for r in doc["rows"])
    assert all(isinstance(r["gap_increased"], bool) and not r["gap_increased"] for r in doc["rows"])
    assert all(r["first_increase"] == -1 for r in doc["rows"])
    sw = (out / "sweep.csv").read_text().splitlines()
    assert "status_warmup" in sw[0].split(",") and sw[0].endswith(",invariants")
    assert "oracle" in md and "no user can know it in advance" in md


@pytest.mark.parametrize("divisor,message", [
    (10, "order: recursion bound"),      # bound/10 = 415 still >= observed 127, but < the recursion bound
    (100, "upper_closed: observed 127 > upper bound"),
])
def test_wrong_bound_fails_loudly(tmp_path, monkeypatch, capsys, divisor, message):
    """Feed the runner a wrong Thm 4.3 bound (divided by 10 / 100): non-zero exit, '!' row, summary line."""
    import warmup_theory.theory.bounds as tb
    from warmup_theory.numerics.table import runner

    fake = types.SimpleNamespace(**{k: getattr(tb, k) for k in dir(tb) if not k.startswith("_")})
    fake.pl_adaptive_iterations = lambda *a, **k: tb.pl_adaptive_iterations(*a, **k) / divisor
    monkeypatch.setattr(runner, "_bounds_module", lambda: fake)
    rc = main(["table", "--quick", "--problems", "cosh", "--schedules", "warmup,fixed-stable",
               "--no-sweeps", "--no-plots", "--no-progress", "--out", str(tmp_path)])
    cap = capsys.readouterr()
    assert rc == 1
    assert "FAILED" in cap.err and "INVARIANTS BROKEN" in cap.err
    md = (tmp_path / "table.md").read_text()
    assert "| ! | cosh(H0=1,H1=1) | warmup |" in md and message in md
    screen = cap.out.splitlines()
    assert any(x.startswith("cosh(H0=1,H1=1)") and " !" in x for x in screen)      # the broken cell, marked
    assert any(x.startswith("INVARIANTS BROKEN") for x in screen) and max(map(len, screen)) <= 120
    assert "INVARIANTS BROKEN" in (tmp_path / "table.csv").read_text()


@pytest.mark.parametrize("args,msg", [
    (["--problems", "cosh,nope"], "unknown problems: nope; valid: cosh, pl-hard"),
    (["--schedules", "warmup,adam"], "unknown schedules: adam; valid: warmup, warmup-family, fixed-stable"),
    (["--format", "md,pdf"], "unknown formats: pdf; valid: md, csv, tex"),
    (["--device", "tpu"], "device must be"),
    (["--max-iter", "0"], "--max-iter must be >= 1"),
    (["--quick", "--seed", "-5"], "--seed must be an integer in [0, 4294967295], got -5"),
    (["--seed", str(2**32)], "--seed must be an integer in [0, 4294967295]"),
])
def test_bad_args(tmp_path, capsys, args, msg):
    rc = main(["table", "--out", str(tmp_path), *args])
    assert rc == 2
    assert msg in capsys.readouterr().err
    assert not (tmp_path / "table.csv").exists()


def test_bad_seed_type(capsys):
    with pytest.raises(SystemExit) as e:
        main(["table", "--seed", "abc"])
    assert e.value.code == 2


def test_missing_dependency_exits_3(tmp_path, monkeypatch, capsys):
    """A family skipped for a missing dependency is not a pass: exit 3 (incomplete), named on stderr."""
    from warmup_theory.numerics.table import spec

    real = spec.family

    def fake(name):
        fam = real(name)
        if name != "quartic":
            return fam
        def build(quick, seed):
            raise ImportError("No module named 'fakedep'")
        return spec.Family(fam.name, build, fam.eps_default, fam.eps_quick)
    monkeypatch.setattr("warmup_theory.numerics.table.runner.family", fake)
    rc = main(["table", "--quick", "--problems", "cosh,quartic", "--schedules", "warmup", "--no-sweeps",
               "--no-plots", "--no-progress", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 3 and "INCOMPLETE" in err and "quartic" in err and "fakedep" in err


def test_help_names_every_family_quick_skips(capsys):
    from warmup_theory.numerics.table.spec import FAMILIES

    with pytest.raises(SystemExit):
        main(["table", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    slow = [f.name for f in FAMILIES if not f.in_quick]
    assert slow and f"--quick: all but {', '.join(slow)}" in text


def test_quick_on_screen_summary_fits_a_terminal(quick_run):
    """Default output: <= 40 lines, none over 120 characters, one line per problem, notes only in table.md."""
    _, out, stdout, _ = quick_run
    lines = stdout.splitlines()
    assert len(lines) <= 40 and max(len(x) for x in lines) <= 120, stdout
    rows = list(csv.DictReader(x for x in (out / "table.csv").read_text().splitlines() if not x.startswith("#")))
    problems = {r["problem"] for r in rows}
    from warmup_theory.numerics.table.summary import short_name

    assert all(sum(x.startswith(short_name(p) + " ") for x in lines) == 1 for p in problems), stdout
    assert "Notes:" not in stdout and "Notes:" in (out / "table.md").read_text()
    assert lines[-1].startswith("full table, notes") and any(x.startswith("wrote table.md") for x in lines)
    cosh = next(r for r in rows if r["problem"].startswith("cosh") and r["schedule"] == "warmup")
    best = min(float(cosh[b]) for b in ("upper_closed", "upper_recursive") if cosh[b])
    line = next(x for x in lines if x.startswith(cosh["problem"]))
    assert line.split()[1] == f"{cosh['observed']}/{best:g}"      # the cell is observed/best upper bound


def test_verbose_prints_the_full_markdown(tmp_path, capsys):
    rc = main(["table", "--quick", "--problems", "cosh", "--schedules", "warmup,fixed-stable", "--no-sweeps",
               "--no-plots", "--no-progress", "--out", str(tmp_path), "--verbose"])
    out = capsys.readouterr().out
    assert rc == 0 and "| problem | schedule |" in out and "Notes:" in out
    assert out.rstrip().endswith(f"to {tmp_path}/")


def test_summary_caps_many_problems_and_violations():
    from warmup_theory.numerics.table.rows import TableRow
    from warmup_theory.numerics.table.summary import MAX_LINES, summary_lines

    rows = [TableRow(f"problem_{i:03d}_with_a_rather_long_descriptive_name(H0=1,H1=1)", s, 1.0, 1.0, 1.0, 1.0,
                     10.0, 1e-3, 10, "converged", upper_closed=20.0)
            for i in range(80) for s in ("warmup", "fixed-stable")]
    rows[0] = rows[0].with_(violations=("upper_closed: observed 10 > upper bound 2 " + "x" * 200,))
    lines = summary_lines(rows, {"version": "t", "seed": 0}, extra=[f"- finding {i}" for i in range(30)],
                          footer=["wrote x", "full table: table.md"])
    assert len(lines) <= MAX_LINES and max(len(x) for x in lines) <= 120
    assert any("more problems" in x for x in lines) and lines[-2:] == ["wrote x", "full table: table.md"]
    assert any(x.startswith("INVARIANTS BROKEN") for x in lines)   # a broken invariant is never cut
    assert any(x.startswith("problem_000") and "!10/20" in x for x in lines)
