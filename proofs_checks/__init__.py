"""Every result of the toolkit as machine-checked proof steps.

Claims live in modules named ``proofs_checks/claims/*.py`` and are discovered
automatically; ``warmup-theory verify`` runs them all.
"""

from warmup_theory.proofs_checks.framework import Claim, ClaimResult, Proof, Step, claim, registry, run_claim

__all__ = ["Claim", "ClaimResult", "Proof", "Step", "claim", "registry", "run_claim"]
