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
    _, rows = verify_json
    by_id = {r["id"]: r for r in rows}
    assert REQUIRED <= set(by_id), sorted(REQUIRED - set(by_id))
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
