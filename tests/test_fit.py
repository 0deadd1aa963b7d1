"""fit_h0_h1 on synthetic points with a known upper envelope; CLI smoke test."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics.fit import fit_h0_h1


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
    from numerics.cli import main

    assert main(["curvature", "--model", "deep-linear", "--steps", "4", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "proven" in out and "envelope LP" in out and "max ratio" in out
    for ext in ("png", "svg", "json"):
        assert (tmp_path / f"curvature_deep-linear.{ext}").stat().st_size > 0
    rec = json.loads((tmp_path / "curvature_deep-linear.json").read_text())
    assert len(rec["gaps"]) == 5 and rec["max_ratio"] < 1
    assert main(["curvature", "--model", "attention", "--steps", "2", "--out", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == "attention"
