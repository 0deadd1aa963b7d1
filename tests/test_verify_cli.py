"""`warmup-theory verify` end to end: every claim runs, none fails, the required ids are present."""

import contextlib
import io
import json

import pytest

from warmup_theory.cli import main

REQUIRED = {
    # issue 2
    "Def 3.1", "Prop B.1", "Lemma (L0,L1)⇒(H0,H1)", "Lemma gradient bound", "Lemma gradient bound tightness",
    "Lemma comparison descent", "Prop B.2", "Prop B.2 (printed)", "Closure scale", "Closure affine",
    "Closure average", "Closure add-smooth",
    # issue 3
    "Thm 4.3", "Thm 4.3 (printed)", "Thm 4.2", "Thm 4.1(3)", "Thm 4.1(3) (printed)", "Thm 4.1(1-2)",
    "Lemma fixed-step stability", "Lemma aiming telescoping", "Lemma log inequality",
    "Claim fixed vs adaptive ratio", "Hard function (PL)",
    # issue 5
    "Prop 3.2", "Prop 3.2 (printed)", "Prop 3.3", "Prop 3.3 (printed)", "Prop D.1", "Prop 3.4",
    "Activation constants",
}


@pytest.fixture(scope="module")
def verify_json():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["verify", "--json"])
    return rc, json.loads(buf.getvalue())


def test_verify_exits_zero_and_nothing_fails(verify_json):
    rc, rows = verify_json
    failed = [r["id"] for r in rows if r["verdict"] == "failed"]
    assert failed == [] and rc == 0


def test_required_claims_present_with_expected_verdicts(verify_json):
    from warmup_theory.proofs_checks.framework import resolve_id

    _, rows = verify_json
    by_id = {r["id"]: r for r in rows}
    required = {resolve_id(c) for c in REQUIRED | {"Thm 4.2 (printed)"}}  # old ids of toolkit results resolve
    assert required <= set(by_id), sorted(required - set(by_id))
    for cid, r in by_id.items():
        assert set(r) >= {"id", "verdict", "method", "seconds", "statement"}
        assert r["verdict"] in {"proved", "holds", "defective", "failed"}
        if "(printed" in cid:
            assert r["verdict"] == "defective" and r.get("witness"), cid
        else:
            assert r["verdict"] in {"proved", "holds"}, cid


def test_only_filter_and_unknown_id():
    assert main(["verify", "--only", "Prop B.1"]) == 0
    assert main(["verify", "--only", "no-such-claim-id"]) == 2


def test_json_steps_are_labelled_and_verdicts_follow_the_labels(verify_json):
    """Every step names a known method and role; no claim is 'proved' with a proof step that is a numeric
    instance, a sample, a model run or a hand argument (issue 15: honest labels)."""
    from warmup_theory.proofs_checks.framework import METHODS

    _, rows = verify_json
    for r in rows:
        for s in r["steps"]:
            assert s["method"] in METHODS and s["role"] in ("proof", "check"), (r["id"], s)
        if r["verdict"] == "proved":
            weak = [s["description"] for s in r["steps"]
                    if s["role"] == "proof" and s["method"] in ("instance", "sampled", "model", "hand")]
            assert not weak, (r["id"], weak)


def test_thm_4_2_printed_beside_the_toolkit_form(verify_json):
    from warmup_theory.proofs_checks.framework import resolve_id

    _, rows = verify_json
    by_id = {r["id"]: r for r in rows}
    ours, printed = by_id[resolve_id("Thm 4.2")], by_id[resolve_id("Thm 4.2 (printed)")]
    assert "′ (toolkit" in ours["id"] and ours["verdict"] in ("proved", "holds")
    assert printed["verdict"] == "holds" and "valid, looser" in printed["id"]  # valid at θ = 1: not defective
    ids = [r["id"] for r in rows]
    assert ids.index(printed["id"]) == ids.index(ours["id"]) + 1  # reported beside the toolkit's


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run_text(argv, tty=False):
    out, err = io.StringIO(), (_Tty() if tty else io.StringIO())
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def test_default_output_one_line_per_claim_within_120_chars():
    rc, out, err = _run_text(["verify", "--only", "Thm 4", "--only", "Prop 3.4", "--only", "Prop B.2"])
    lines = out.splitlines()
    assert rc == 0 and err == ""                        # no progress counter when stderr is not a terminal
    assert max(len(x) for x in lines) <= 120, max(lines, key=len)
    n = int(next(x for x in lines if " claims in " in x).split()[0])
    claim_lines = [x for x in lines[1:] if x.split()[0] in ("proved", "holds", "defective", "failed")]
    assert len(claim_lines) == n >= 10                   # exactly one line per claim
    assert len(lines) <= n + 5                           # header, summary, legend (3 lines)
    assert not any("witness:" in x for x in lines)       # witnesses only with --verbose / --json


def test_verbose_steps_and_progress_on_a_terminal():
    rc, out, err = _run_text(["verify", "--only", "Thm 4.3 (printed)", "--only", "Prop B.2", "-v", "--steps"],
                             tty=True)
    lines = out.splitlines()
    assert rc == 0 and max(len(x) for x in lines) <= 120, max(lines, key=len)
    assert any("witness:" in x for x in lines) and any("statement:" in x for x in lines)
    assert any("[ok ]" in x for x in lines)
    assert "[1/3]" in err and "[3/3]" in err             # the counter, on stderr only


def test_only_matches_old_ids():
    rc, out, _ = _run_text(["verify", "--only", "Thm 4.2 (printed)"])
    assert rc == 0 and "Thm 4.2 printed form (θ = 1)" in out
