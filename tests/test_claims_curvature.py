"""warmup_theory.proofs_checks.claims.curvature: the Lanczos bracket claims, and that their checks can fail.

References: numpy/torch eigvalsh in float64 (independent of the Lanczos code), the exact overlap
|<v, u_*>| from a dense eigendecomposition, and the start vector rebuilt from the generator seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import warmup_theory.numerics.curvature.lanczos as lanczos_mod
import warmup_theory.proofs_checks.claims.curvature as cc
from warmup_theory.numerics.curvature.certificate import lanczos_upper_bound, start_vector
from warmup_theory.proofs_checks.framework import Claim, run_claim

IDS = ("Lemma Lanczos lower bound", "Lemma quadrature certificate")
# built directly (registry() would import every claims module); ids checked in test_ids_registered
CLAIMS = tuple(Claim(i, "", fn) for i, fn in zip(IDS, cc._CLAIM_FNS))


def test_ids_registered() -> None:
    from warmup_theory.proofs_checks.framework import _REGISTRY

    assert all(_REGISTRY[i].proof is fn for i, fn in zip(IDS, cc._CLAIM_FNS))


def test_claims_registered_and_pass() -> None:
    verdicts = {c.id: run_claim(c).verdict for c in CLAIMS}
    # the lower bound is symbolic + cited; the certificate's float64 allowance is only sampled
    assert verdicts == {"Lemma Lanczos lower bound": "proved", "Lemma quadrature certificate": "holds"}


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_lemma_with_tightest_c(seed: int) -> None:
    """The deterministic core: with c = |c_*| exactly, lanczos_upper_bound never undercuts ||H||_2."""
    r = cc.sharp_lemma_instance(np.random.default_rng(seed))
    assert r["L"] <= r["upper"] * (1 + 1e-12), r


@pytest.mark.parametrize("kind", cc.SPECTRA)
def test_spectra_have_advertised_shape(kind: str) -> None:
    rng = np.random.default_rng(5)
    lam = cc._spectrum(kind, 21, rng)
    h, u = cc._matrix(lam, rng)
    assert lam.size == 21
    np.testing.assert_allclose(u.T @ u, np.eye(21), atol=1e-12)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(h)), np.sort(lam), atol=1e-12)
    a = np.sort(np.abs(lam))[::-1]
    if kind == "pm-exact":
        assert lam.max() == -lam.min() == 1.0
    if kind == "gap":
        assert 0 < a[0] - 1.0 <= 0.1 + 1e-15 and a[1] <= 1.0
    if kind == "few":
        assert np.unique(lam).size <= 3


def test_near_orthogonal_start_is_near_orthogonal() -> None:
    rng = np.random.default_rng(6)
    lam = cc._spectrum("gap", 30, rng)
    h, u = cc._matrix(lam, rng)
    v = cc._start("near-orth", u, lam, rng)
    top = u[:, int(np.argmax(np.abs(lam)))]
    assert abs(np.linalg.norm(v) - 1) < 1e-14 and abs(v @ top) <= 1.1e-2


def test_code_c_matches_formula() -> None:
    """start_vector's log(c/delta) equals the independent formula delta eps sqrt(pi/2)/||v_u|| / delta."""
    n, seed = 17, 123
    q, log_cd = start_vector(n, None, torch.Generator().manual_seed(seed), torch.device("cpu"))
    g = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    assert math.exp(log_cd) == pytest.approx(math.sqrt(math.pi / 2) / float(g.norm()), rel=1e-14)
    assert torch.allclose(q, g / g.norm(), atol=1e-15)


def test_sharp_check_detects_an_overclaimed_overlap() -> None:
    """Sensitivity: claiming full overlap (c = 1) for a start nearly orthogonal to u_* gives an
    'upper' below ||H||_2 -- the check in the claim would catch such a certificate."""
    rng = np.random.default_rng(7)
    lam = np.r_[1.0, np.linspace(-0.5, 0.5, 39)]
    h, u = cc._matrix(lam, rng)
    v = rng.standard_normal(40)
    v -= (v @ u[:, 0]) * u[:, 0]
    v = v / np.linalg.norm(v) + 1e-6 * u[:, 0]
    v /= np.linalg.norm(v)
    alpha, beta, _ = cc._lanczos(h, v, 12)
    theta, s = scipy.linalg.eigh_tridiagonal(alpha, beta)
    wrong = lanczos_upper_bound(theta, s[0] ** 2, log_c=0.0, allowance=1e-14)
    right = lanczos_upper_bound(theta, s[0] ** 2, log_c=math.log(abs(v @ u[:, 0])), allowance=1e-14)
    assert wrong < 1.0 <= right


def test_claim_fails_when_the_certificate_is_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A certificate shrunk by 1 % must make the quadrature claim fail (the checks are not vacuous)."""
    def shrunk(*args, **kwargs):
        return 0.99 * lanczos_upper_bound(*args, **kwargs)

    monkeypatch.setattr(cc, "lanczos_upper_bound", shrunk)
    monkeypatch.setattr(lanczos_mod, "lanczos_upper_bound", shrunk)
    res = run_claim(CLAIMS[1])
    assert res.verdict == "failed"
    failed = [s.description for s in res.steps if not s.ok]
    assert any("tightest admissible" in d for d in failed)
