"""``warmup-theory bounds``: values, expressions, --json / --latex / --printed, errors (exit 2)."""

from __future__ import annotations

import json
import math

import pytest

from warmup_theory.cli import main
from warmup_theory.cli.bounds import THEOREMS, evaluate

PL = ["--H0", "1", "--H1", "1", "--mu", "0.5", "--gap0", "10", "--eps", "1e-3"]


def test_pl_adaptive_text(capsys):
    assert main(["bounds", "pl-adaptive", *PL]) == 0
    out = capsys.readouterr().out
    assert "value: 1009" in out and "expression: " in out and "ceiling" in out


def test_json_and_latex(capsys):
    assert main(["bounds", "pl-adaptive", *PL, "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["value"] == 1009.0 and rec["inputs"]["mu"] == 0.5 and "lceil" in rec["latex"]
    assert main(["bounds", "aiming-adaptive", "--H0", "1", "--H1", "1", "--theta", "1", "--dist0", "1",
                 "--eps", "1e-2", "--latex"]) == 0
    assert capsys.readouterr().out.strip().startswith(r"\left\lceil")


def test_printed(capsys):
    assert main(["bounds", "pl-adaptive", "--H0", "1", "--H1", "1", "--mu", "0.5", "--gap0", "0.1",
                 "--eps", "10", "--printed", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["printed"] and rec["value"] == pytest.approx(8 + 40 * math.log(1 / 20)) and rec["value"] < 0
    assert main(["bounds", "pl-fixed", *PL, "--printed"]) == 2
    assert "--printed is not available" in capsys.readouterr().err


def test_missing_and_bad_parameters(capsys):
    assert main(["bounds", "pl-adaptive", "--H0", "1", "--H1", "1", "--gap0", "1", "--eps", "1"]) == 2
    assert "missing required parameter(s) --mu" in capsys.readouterr().err
    assert main(["bounds", "pl-adaptive", *PL[:-1], "0"]) == 2
    assert "eps must be in (0, inf)" in capsys.readouterr().err
    assert main(["bounds", "aiming-adaptive", "--H0", "1", "--H1", "1", "--theta", "0.05", "--dist0", "1",
                 "--eps", "1e-2"]) == 2
    assert "theta" in capsys.readouterr().err


@pytest.mark.parametrize("value,shown", [("-1e-3", "-0.001"), ("-2", "-2.0"), ("-.5", "-0.5"),
                                         ("-1E+2", "-100.0"), ("-inf", "finite and in (0, inf), got -inf")])
def test_negative_values_reach_the_range_check(capsys, value, shown):
    # argparse used to reject "--eps -1e-3" with "expected one argument" (exit 2 without the range)
    assert main(["bounds", "pl-adaptive", *PL[:-1], value]) == 2
    err = capsys.readouterr().err
    msg = shown if shown.startswith("finite") else f"in (0, inf), got {shown}"
    assert f"eps must be {msg}" in err and "expected one argument" not in err
    assert main(["bounds", "pl-adaptive", "--H0", "-1e-3", *PL[2:]]) == 2
    assert "H0" in capsys.readouterr().err


def test_option_names_are_still_options(capsys):
    # the wider negative-number pattern must not turn a following option into a value
    with pytest.raises(SystemExit) as exc:
        main(["bounds", "pl-adaptive", *PL[:-1], "--json"])
    assert exc.value.code == 2 and "expected one argument" in capsys.readouterr().err
    assert main(["bounds", "pl-adaptive", "--eps=-1e-3", *PL[:-2]]) == 2
    assert "eps must be in (0, inf), got -0.001" in capsys.readouterr().err


@pytest.mark.parametrize("theorem", list(THEOREMS))
def test_every_theorem_runs(theorem):
    vals = {"H0": 1.0, "H1": 1.0, "mu": 0.5, "theta": 1.0, "gap0": 10.0, "dist0": 1.0, "eps": 1e-3}
    rec = evaluate(theorem, vals)
    assert rec["value"] >= 0 and math.isfinite(rec["value"])
    assert set(rec["inputs"]) == set(THEOREMS[theorem][1])


def test_help_lists_theorems(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bounds", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in THEOREMS:
        assert name in out


_ALL = {"H0": "1", "H1": "5", "mu": "0.1", "theta": "1", "gap0": "100", "dist0": "1", "eps": "1e-8"}


@pytest.mark.parametrize("theorem", list(THEOREMS))
def test_default_output_fits_a_terminal(capsys, theorem):
    """Every theorem's default output: no line over 120 characters, value then a compact expression (the branch
    at these inputs, which re-evaluates to the value); the full Piecewise only with --verbose."""
    req = THEOREMS[theorem][1]
    argv = ["bounds", theorem] + [x for r in req for x in (f"--{r}", _ALL[r])]
    assert main(argv) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(x) for x in lines) <= 120 and len(lines) <= 10, out
    assert lines[2].startswith("value: ") and any(x.startswith("expression: ") for x in lines)
    assert "full expression" not in out
    rec = evaluate(theorem, {r: float(_ALL[r]) for r in req})
    here = rec["expression_here"]
    if here is not None:
        assert "Piecewise" not in str(here) and "Min(" not in str(here) and "Max(" not in str(here)
        import sympy as sp

        from warmup_theory.cli.bounds import _SYMBOL_NAMES
        subs = {sp.Symbol(_SYMBOL_NAMES[r], positive=True): float(_ALL[r]) for r in req}
        assert float(here.subs(subs)) == pytest.approx(rec["value"], rel=1e-9)
    assert main(argv + ["--verbose"]) == 0
    verbose = capsys.readouterr().out
    if rec["expression"] is not None and here != rec["expression"]:
        assert "full expression: " in verbose and "Piecewise" in verbose


def test_json_keeps_the_full_expression_and_adds_the_branch(capsys):
    assert main(["bounds", "pl-adaptive", *PL, "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert "Piecewise" in rec["expression"] and "Piecewise" not in rec["expression_here"]
    assert {"theorem", "description", "printed", "inputs", "value", "expression", "latex"} <= set(rec)


def test_printed_thm_4_2(capsys):
    base = ["bounds", "aiming-adaptive", "--H0", "1", "--H1", "1", "--dist0", "1", "--eps", "1e-2"]
    assert main([*base, "--theta", "1", "--printed", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["value"] == 4040.0 and rec["expression"] == "40*H_0*d_0**2/epsilon + 40*H_1*d_0**2"
    assert main([*base, "--theta", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == 567.0  # the toolkit's Thm 4.2′: 7x smaller here
    assert main([*base, "--theta", "0.5", "--printed"]) == 2
    assert "theta must be 1 with printed=True" in capsys.readouterr().err


def test_branch_at_falls_back_when_the_branch_disagrees():
    import sympy as sp

    from warmup_theory.cli.bounds import branch_at

    x = sp.Symbol("x", positive=True)
    e = sp.Piecewise((x, x < 1), (2 * x, True))
    assert branch_at(e, {x: 3.0}, 6.0) == 2 * x
    assert branch_at(e, {x: 3.0}, 5.0) is e          # a wrong value: the full expression, not a wrong branch
