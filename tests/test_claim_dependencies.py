"""Every dependency of a claim on another claim of the toolkit goes through ``Proof.uses`` (issue 15): a claim
named in a worded step ('Lemma …' in a cite/fact text) without a ``uses`` of it would not inherit a failure."""

from __future__ import annotations

import inspect
import re

from warmup_theory.proofs_checks import registry


def test_no_claim_cites_another_claim_in_words_only() -> None:
    claims = registry()
    ids = sorted(claims, key=len, reverse=True)  # longest id first: 'Thm 4.3 phase 1/2' names 'Thm 4.3 phase 1'
    missing = []
    for cid, c in claims.items():
        src = inspect.getsource(c.proof)
        src = src[src.index("\ndef ") if not src.startswith("def ") else 0:]  # the body, not the @claim statement
        used = set(re.findall(r"""\.uses\(\s*["']([^"']+)["']""", src))
        for quoted in re.findall(r"'([^'\n]+)'", src):
            named = next((i for i in ids if quoted.startswith(i) and i != cid), None)
            if named is not None and named not in used:
                missing.append(f"{cid!r} names {named!r} ('{quoted}') without uses()")
    assert not missing, "\n".join(missing)


def test_a_failed_lemma_fails_the_claims_that_use_it(monkeypatch: object) -> None:
    import pytest

    from warmup_theory.proofs_checks import framework as fw
    from warmup_theory.proofs_checks import run_claim

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    claims = registry()
    lemma = claims["Lemma descent (adaptive step)"]

    def broken(p: fw.Proof) -> None:
        p.fact("mutated descent lemma", False, method="symbolic")

    mp.setitem(fw._REGISTRY, lemma.id, fw.Claim(lemma.id, lemma.statement, broken, lemma.printed, lemma.module))
    mp.setattr(fw, "_DEPENDENCY_CACHE", {})
    for cid in ("Thm 4.3 phase 1", "Lemma fixed-step stability"):  # both were 'holds' through a worded cite
        assert run_claim(claims[cid]).verdict == "failed"
