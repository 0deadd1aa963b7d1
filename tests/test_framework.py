"""The proof framework itself: verdict logic, and that failing steps are caught."""

import sympy as sp

from warmup_theory.proofs_checks.framework import Claim, Proof, prove_nonneg, run_claim


def _claim(fn, printed=False):
    return Claim("T", "test claim", fn, printed)


def test_proved_claim():
    x = sp.Symbol("x", real=True)

    def proof(p: Proof):
        p.nonneg(x**2 - 2 * x + 1, "(x-1)^2 >= 0")
        p.sample("x^2 >= 2x - 1", lambda rng: (2 * (v := rng.normal()) - 1, v * v))

    r = run_claim(_claim(proof))
    assert r.verdict == "proved", r
    assert r.method == "symbolic+sampled"


def test_false_inequality_fails():
    x = sp.Symbol("x", real=True)

    def proof(p: Proof):
        p.nonneg(x - 1, "x >= 1 (false)")

    assert run_claim(_claim(proof)).verdict == "failed"


def test_sampled_violation_fails():
    def proof(p: Proof):
        p.sample("x <= 0 (false)", lambda rng: (abs(rng.normal()) + 1e-3, 0.0))

    r = run_claim(_claim(proof))
    assert r.verdict == "failed"
    assert "lhs=" in r.steps[0].detail


def test_sampled_only_is_holds():
    def proof(p: Proof):
        p.sample("sin <= 1", lambda rng: (float(sp.sin(rng.normal())), 1.0), n=20, role="proof")

    assert run_claim(_claim(proof)).verdict == "holds"


def test_printed_needs_witness():
    def without(p: Proof):
        p.fact("looked for a counterexample", True)

    def with_w(p: Proof):
        p.witness("H0 < 0", confirmed=True, H0=-1.0)

    assert run_claim(_claim(without, printed=True)).verdict == "failed"
    r = run_claim(_claim(with_w, printed=True))
    assert r.verdict == "defective" and r.witness["H0"] == -1.0


def test_crashing_proof_is_failed_not_raised():
    def proof(p: Proof):
        raise RuntimeError("boom")

    r = run_claim(_claim(proof))
    assert r.verdict == "failed" and "boom" in r.error


def test_prove_nonneg_polynomial_in_nonneg_symbols():
    a, b = sp.symbols("a b", nonnegative=True)
    assert prove_nonneg(a**3 + 2 * a * b + b)[0]
    assert not prove_nonneg(a - b)[0]


def test_cited_standard_keeps_proved_hand_argument_caps_at_holds():
    x = sp.Symbol("x", real=True)

    def cited(p: Proof):
        p.nonneg(x**2, "square")
        p.cite("triangle inequality for the spectral norm")

    def hand(p: Proof):
        p.nonneg(x**2, "square")
        p.cite("the chain of norm bounds above", standard=False)

    r1, r2 = run_claim(_claim(cited)), run_claim(_claim(hand))
    assert r1.verdict == "proved" and "cited" in r1.method
    assert r2.verdict == "holds" and "hand" in r2.method


def test_uses_carries_the_dependency_verdict():
    from warmup_theory.proofs_checks.framework import _DEPENDENCY_CACHE

    _DEPENDENCY_CACHE.update({"dep-proved": "proved", "dep-holds": "holds", "dep-failed": "failed"})

    def on(dep):
        def proof(p: Proof):
            p.uses(dep, "step from another claim")
        return proof

    assert run_claim(_claim(on("dep-proved"))).verdict == "proved"
    assert run_claim(_claim(on("dep-holds"))).verdict == "holds"
    assert run_claim(_claim(on("dep-failed"))).verdict == "failed"
    assert run_claim(_claim(on("no-such-claim-anywhere"))).verdict == "failed"
