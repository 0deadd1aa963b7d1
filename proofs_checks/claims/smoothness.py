"""The gallery of hand-derived (H0,H1)-smooth functions, under its old module name.

The gallery lives in :mod:`warmup_theory.proofs_checks.fixtures.gallery`; the claims that used to be here are
in :mod:`~warmup_theory.proofs_checks.claims.relations` (Prop B.1, the (L0,L1) inclusion),
:mod:`~warmup_theory.proofs_checks.claims.lemmas` (gradient bound, comparison descent, safe step) and
:mod:`~warmup_theory.proofs_checks.claims.closure` (Prop B.2 and the closure rules). This module registers no
claim; it re-exports the gallery so ``from warmup_theory.proofs_checks.claims.smoothness import random_member``
keeps working.
"""

from warmup_theory.proofs_checks.fixtures.gallery import (
    Fn,
    Member,
    Profile,
    hess_norm,
    member_1d,
    random_member,
    random_profile,
)

__all__ = ["Fn", "Member", "Profile", "hess_norm", "member_1d", "random_member", "random_profile"]
