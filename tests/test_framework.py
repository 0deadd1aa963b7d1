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
        p.fact("looked for a counterexample", True, method="instance")

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


def test_fact_requires_method():
    """``method`` has no default: a step cannot be labelled "symbolic" by omission."""
    import pytest

    with pytest.raises(TypeError, match="method"):
        Proof().fact("forgot the method", True)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="method must be one of"):
        Proof().fact("bad method", True, method="numeric")
    with pytest.raises(ValueError, match="role must be"):
        Proof().fact("bad role", True, method="instance", role="cross-check")


def test_numeric_instance_proof_step_caps_at_holds():
    """A proof step checked on numeric instances (method="instance") caps the verdict at holds; the same
    step as an implementation cross-check (role="check") leaves a symbolic proof proved; a failing check fails."""
    x = sp.Symbol("x", real=True)

    def make(role: str, ok: bool = True):
        def proof(p: Proof):
            p.nonneg(x**2, "square")
            p.fact("calculator(2.0) == 4.0 at one instance", ok, method="instance", role=role)
        return proof

    as_proof, as_check = run_claim(_claim(make("proof"))), run_claim(_claim(make("check")))
    assert as_proof.verdict == "holds" and "instance" in as_proof.method
    assert as_check.verdict == "proved"
    assert run_claim(_claim(make("check", ok=False))).verdict == "failed"


def test_old_ids_resolve_to_the_toolkit_labels():
    from warmup_theory.proofs_checks.claims import ALIASES, REPORT_ORDER
    from warmup_theory.proofs_checks.framework import registry, resolve_id

    reg = registry()
    for old, new in ALIASES.items():
        assert new in reg and new in REPORT_ORDER, new
        assert old not in reg.keys() and reg[old].id == new and resolve_id(old) == new
    for cid in ("Prop 3.4", "Prop D.1", "Thm 4.2", "Thm 4.1(1-2)"):  # toolkit replacements: labelled as such
        assert "′ (toolkit" in resolve_id(cid)
    import pytest

    with pytest.raises(KeyError):
        reg["no such claim"]
