"""fit_h0_h1 on synthetic points with a known upper envelope, against an independent
brute-force envelope at gap / norm scales 1e-9 .. 1e9; CLI smoke and error tests."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmup_theory.numerics.fit import fit_h0_h1


@settings(max_examples=40, deadline=None)
@given(h0=st.floats(0.0, 10.0), h1=st.floats(0.0, 10.0), n=st.integers(3, 40), seed=st.integers(0, 1000))
def test_envelope_recovers_known_line(h0, h1, n, seed):
    """Points on/below h0 + h1·g with both range ends ON the line: the envelope is that line."""
    rng = np.random.default_rng(seed)
    g = np.concatenate([[0.0, 5.0], rng.uniform(0, 5, n)])
    h = h0 + h1 * g - np.concatenate([[0.0, 0.0], rng.uniform(0, 1, n)])
    h = np.maximum(h, 0.0)  # the two ends stay ON the line (h0, h1 >= 0), the rest below it
    # any feasible line is >= the true one at both ends of [0, 5], so the true line has the
    # least mean height: the LP must return it
    r = fit_h0_h1(g, h)
    assert r.envelope_H0 == pytest.approx(h0, abs=1e-7 * (1 + h0 + h1))
    assert r.envelope_H1 == pytest.approx(h1, abs=1e-7 * (1 + h0 + h1))
    assert r.envelope_max_excess <= 0.0


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_envelope_above_points_and_ls_matches_polyfit(seed):
    rng = np.random.default_rng(seed)
    g = rng.exponential(2.0, 30)
    h = 3 + 2 * g + rng.normal(0, 1, 30) ** 2
    r = fit_h0_h1(g, h)
    assert np.all(r.envelope_H0 + r.envelope_H1 * g >= h) and r.envelope_H0 >= 0 and r.envelope_H1 >= 0
    b, a = np.polyfit(g, h, 1)
    assert r.ls_H0 == pytest.approx(a, rel=1e-9, abs=1e-9) and r.ls_H1 == pytest.approx(b, rel=1e-9, abs=1e-9)
    # no other feasible line with H0, H1 >= 0 has a smaller mean height over the range
    gbar = 0.5 * (g.min() + g.max())
    for h1 in np.linspace(0, 10, 101):
        h0 = max(0.0, float(np.max(h - h1 * g)))
        assert r.envelope_H0 + r.envelope_H1 * gbar <= h0 + h1 * gbar + 1e-9


def _brute_envelope(g: np.ndarray, h: np.ndarray) -> float:
    """Least mean height over [g_min, g_max] of a line H0 + H1·g >= h with H0, H1 >= 0, by
    enumerating the LP's vertices: a line through two points, the horizontal line through the
    highest point (H1 = 0) or a line through the origin and a point (H0 = 0).  O(n³)."""
    gbar = 0.5 * (g.min() + g.max())
    tol = 1e-12 * h.max()
    cands = [(float(h.max()), 0.0)]
    for i in range(g.size):
        for j in range(g.size):
            if g[j] > g[i]:
                H1 = (h[j] - h[i]) / (g[j] - g[i])
                cands.append((h[i] - H1 * g[i], H1))
        if g[i] > 0:
            cands.append((0.0, h[i] / g[i]))
    return min(a + b * gbar for a, b in cands if a >= 0 and b >= 0 and np.all(a + b * g >= h - tol))


@pytest.mark.parametrize("g_scale", [1e-9, 1.0, 1e9])
@pytest.mark.parametrize("h_scale", [1e-9, 12.0, 1e9])
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 30))
def test_envelope_optimal_at_any_scale(g_scale, h_scale, seed, n):
    """HiGHS's absolute tolerances must not decide the answer: the LP's mean height equals the
    brute-force optimum (relative 1e-9) whatever the units of gap and norm."""
    rng = np.random.default_rng(seed)
    g = rng.uniform(0, 1, n) * g_scale
    h = rng.uniform(0, 1, n) * h_scale
    r = fit_h0_h1(g, h)
    assert np.all(r.envelope_H0 + r.envelope_H1 * g >= h) and r.envelope_H0 >= 0 and r.envelope_H1 >= 0
    assert r.envelope_max_excess <= 0.0
    got = r.envelope_H0 + r.envelope_H1 * 0.5 * (g.min() + g.max())
    assert got == pytest.approx(_brute_envelope(g, h), rel=1e-9)


def test_envelope_tiny_gaps_regression():
    """Reviewer's case (gaps ~ 8e-10, norms ~ 12): the raw-unit LP returned H1 = 0, H0 = 12.51
    (mean height 12.51); the optimum is H0 ≈ 11.398, H1 ≈ 2.164e9 (mean height 12.2878)."""
    g = np.array([7.7952e-10, 4.2214e-10, 5.3921e-11, 4.3818e-10, 5.0769e-10, 6.8469e-10, 5.1233e-10,
                  7.8574e-10, 1.6140e-10, 6.3101e-10, 7.4185e-10, 1.8904e-10, 7.0221e-10, 5.4667e-10,
                  7.6998e-10, 2.7996e-10, 1.0461e-10, 6.7283e-10, 5.8335e-10, 2.7775e-10, 6.6750e-10,
                  3.6390e-11, 7.7225e-10, 5.1378e-10])
    h = np.array([8.3926, 11.891, 11.515, 10.768, 11.124, 9.7662, 4.5633, 5.6234, 7.8989, 11.939, 9.7486,
                  1.1837, 7.7700, 7.9691, 0.60965, 0.42474, 6.5371, 3.2371, 8.7867, 11.073, 8.9079,
                  5.6548, 1.1480, 12.510])
    r = fit_h0_h1(g, h)
    opt = _brute_envelope(g, h)
    assert r.envelope_H0 + r.envelope_H1 * 0.5 * (g.min() + g.max()) == pytest.approx(opt, rel=1e-9)
    assert opt < 12.3 and r.envelope_H1 == pytest.approx(2.1637e9, rel=1e-4)
    assert np.all(r.envelope_H0 + r.envelope_H1 * g >= h)


def test_envelope_degenerate_scales():
    """All gaps equal to 0 (no slope information) and all norms 0."""
    r = fit_h0_h1([0.0, 0.0, 0.0], [1.0, 3.0, 2.0])
    assert r.envelope_H0 == 3.0 and r.envelope_H1 == 0.0
    r = fit_h0_h1([0.0, 1e-9, 2e-9], [0.0, 0.0, 0.0])
    assert r.envelope_H0 == 0.0 and r.envelope_H1 == 0.0


def test_fit_errors():
    with pytest.raises(ValueError, match="same length"):
        fit_h0_h1([0, 1], [1, 2, 3])
    with pytest.raises(ValueError, match=">= 0"):
        fit_h0_h1([-1.0, 1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        fit_h0_h1([0.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2"):
        fit_h0_h1([0.0], [1.0])


def test_cli_curvature_writes_figure(tmp_path, capsys):
    from warmup_theory.cli import main

    assert main(["curvature", "--model", "deep-linear", "--steps", "4", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "proven" in out and "envelope LP" in out and "max ratio" in out
    for ext in ("png", "svg", "json"):
        assert (tmp_path / f"curvature_deep-linear.{ext}").stat().st_size > 0
    rec = json.loads((tmp_path / "curvature_deep-linear.json").read_text())
    assert len(rec["gaps"]) == 5 and rec["max_ratio"] < 1
    assert main(["curvature", "--model", "attention", "--steps", "2", "--out", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == "attention"


@pytest.mark.parametrize("argv, msg", [
    (["curvature", "--device", "tpu"], "--device: device must be 'cpu', 'cuda' or 'cuda:N', got 'tpu'"),
    (["curvature", "--device", "cuda:x"], "--device"),
    (["curvature", "--steps", "0"], "--steps must be >= 1, got 0"),
])
def test_cli_curvature_usage_errors(argv, msg, capsys, tmp_path):
    """Bad arguments: a one-line message on stderr and exit status 2, no traceback."""
    from warmup_theory.cli import main

    assert main(argv + ["--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("warmup-theory curvature: error: ") and msg in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()  # validation happens before anything is written

