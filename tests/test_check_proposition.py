"""check_proposition: finds both printed defects without being handed a witness, and no
violation of the corrected / toolkit constants (small seeded sweeps); non-finite ratios are
counted, NaN-only results are "inconclusive" and +inf ratios are violations."""

from __future__ import annotations

import json
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.func import hessian

import warmup_theory.numerics.search as chk
from warmup_theory.numerics.models.deep_linear import deep_linear_loss
from warmup_theory.numerics.models.two_layer import one_unit_f_star_bracket, sine_activation, two_layer_ce_loss
from warmup_theory.numerics.search import (
    AttentionCase,
    DeepLinearCase,
    TwoLayerCase,
    aggregate_ratios,
    check_proposition,
)


@pytest.mark.parametrize("prop", ["3.2", "3.3", "D.1", "3.4"])
def test_corrected_constants_hold(prop):
    r = check_proposition(prop, budget="tiny", seed=1)
    assert not r.violated and r.max_ratio <= 1.0
    assert 0 < r.max_ratio and r.tightness == pytest.approx(1 - r.max_ratio)
    assert set(r.max_ratio_by_source) == {"random", "gd", "search"}
    json.dumps(r.to_dict())


def test_printed_prop_3_2_defect_found_and_rechecked():
    r = check_proposition("3.2-printed", budget="tiny", seed=0)
    assert r.violated and r.witness_confirmed
    w = r.witness
    X = torch.tensor(w["X"], dtype=torch.float64)
    Y = torch.tensor(w["Y"], dtype=torch.float64)
    assert int(torch.linalg.matrix_rank(X)) < X.shape[0]  # the search chose a rank-deficient X
    widths = tuple(w["widths"])
    norms = []
    for p in w["points"]:  # independent re-check of every point of the family
        th = torch.tensor(p["theta"], dtype=torch.float64)
        f = float(deep_linear_loss(th, X, Y, widths))
        assert abs(f - w["f_star"]) <= 1e-9 * (1 + float((Y**2).sum()))   # on the optimal fibre
        hn = float(torch.linalg.eigvalsh(hessian(lambda t: deep_linear_loss(t, X, Y, widths))(th)).abs().max())
        assert hn == pytest.approx(p["hessian_norm"], rel=1e-9)
        assert p["balance_residual"] < 1e-6 * hn
        norms.append(hn)
    assert norms[-1] > 100 * norms[0]   # t = 1 → 1000: unbounded growth at f − f* = 0


def test_printed_eq31_violation_found_and_rechecked():
    from warmup_theory.theory.architectures import two_layer_ce_constants

    r = check_proposition("3.3-printed", budget="tiny", seed=0)
    assert r.violated and r.witness_confirmed
    w = r.witness
    lo, hi = one_unit_f_star_bracket(abs(w["X"][0][0]), w["lam1"], w["lam2"], w["a"], w["omega"], cells=200_000)
    assert lo == pytest.approx(w["f_star_bracket"][0], abs=1e-12)
    X = torch.tensor(w["X"], dtype=torch.float64)
    lab = torch.tensor(w["labels"], dtype=torch.float64)
    th = torch.tensor(w["theta_W1_W2"], dtype=torch.float64)
    loss = lambda t: two_layer_ce_loss(t, X, lab, hidden=1, k=1, lam1=w["lam1"], lam2=w["lam2"],
                                       activation=sine_activation(w["a"], w["omega"]))
    hn = float(torch.linalg.eigvalsh(hessian(loss)(th)).abs().max())
    C1, C2, C3 = 1 + w["a"], 1 + w["a"], w["a"] * w["omega"]
    pr = two_layer_ce_constants(abs(w["X"][0][0]), C1, C2, C3, w["lam1"], w["lam2"], lo, printed=True)
    assert hn > pr.H0 + pr.H1 * (float(loss(th)) - lo)          # printed bound violated at certified f*_lo
    co = two_layer_ce_constants(abs(w["X"][0][0]), C1, C2, C3, w["lam1"], w["lam2"], lo)
    assert hn <= co.H0 + co.H1 * (float(loss(th)) - lo)         # corrected bound holds there


def test_argument_errors():
    with pytest.raises(ValueError, match="prop"):
        check_proposition("9.9")
    with pytest.raises(ValueError, match="budget"):
        check_proposition("3.2", budget="huge")
    with pytest.raises(TypeError, match="DeepLinearCase"):
        check_proposition("3.2", TwoLayerCase(), budget="tiny")
    with pytest.raises(TypeError, match="AttentionCase"):
        check_proposition("3.4", DeepLinearCase(), budget="tiny")


def test_softmax_tanh_instance():
    r = check_proposition("3.3", TwoLayerCase(d=2, hidden=2, k=3, m=3, activation="tanh"), budget="tiny", seed=2)
    assert not r.violated and r.instance["k"] == 3
    assert isinstance(AttentionCase().to_dict(), dict)


# ------------------------------------------------------------------------------------------
# non-finite ratios: NaN is never "no violation", +inf is a violation
# ------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.3, 0.9, 1.5, math.inf, math.nan]), min_size=1, max_size=12))
def test_aggregate_ratios_against_python(vals):
    k, v, nf = aggregate_ratios(torch.tensor(vals, dtype=torch.float64))
    assert nf == sum(1 for x in vals if not math.isfinite(x))
    finite_or_inf = [x for x in vals if not math.isnan(x)]
    if finite_or_inf:  # NaN never wins; +inf does
        assert v == max(finite_or_inf) and vals[k] == v
    else:
        assert math.isnan(v) and k == 0


def _nan_everywhere(monkeypatch):
    real = chk._Batch.evaluate

    def evaluate(self, *a, **kw):
        r, hn, f = real(self, *a, **kw)
        return r * math.nan, hn, f
    monkeypatch.setattr(chk._Batch, "evaluate", evaluate)
    # _point_from re-evaluates the worst point with the unbatched norm: make that NaN too
    monkeypatch.setattr(chk.batch, "hessian_norm", lambda loss, th: torch.tensor(math.nan, dtype=torch.float64))


def test_all_nan_is_inconclusive_not_no_violation(monkeypatch):
    _nan_everywhere(monkeypatch)
    r = check_proposition("D.1", budget="tiny", seed=0)
    assert math.isnan(r.max_ratio) and not r.violated and r.inconclusive and r.status == "inconclusive"
    assert r.n_nonfinite == r.n_evaluations and all(v > 0 for v in r.n_evaluations.values())
    s = r.summary()
    assert "INCONCLUSIVE" in s and "no violation" not in s.replace("NOT a 'no violation'", "")
    d = r.to_dict()
    assert d["status"] == "inconclusive" and d["inconclusive"] and d["n_nonfinite"] == r.n_evaluations


def test_some_nan_counted_and_skipped(monkeypatch):
    real = chk._Batch.evaluate

    def evaluate(self, *a, **kw):  # every other evaluation is NaN
        r, hn, f = real(self, *a, **kw)
        mask = torch.arange(r.shape[0], device=r.device) % 2 == 1
        return torch.where(mask, torch.full_like(r, math.nan), r), hn, f
    monkeypatch.setattr(chk._Batch, "evaluate", evaluate)
    r = check_proposition("D.1", budget="tiny", seed=0)
    assert math.isfinite(r.max_ratio) and 0 < r.max_ratio <= 1 and r.status == "no violation"
    assert r.n_nonfinite["random"] == r.n_evaluations["random"] // 2
    assert 0 < sum(r.n_nonfinite.values()) < sum(r.n_evaluations.values())
    assert "evaluations non-finite" in r.summary()


def test_zero_bound_infinite_ratio_is_a_violation(monkeypatch):
    import warmup_theory.theory.architectures as ta

    zero = lambda *a, **kw: type("C", (), {"H0": 0.0, "H1": 0.0})()
    monkeypatch.setattr(ta, "leaky_relu_constants", zero)
    r = check_proposition("D.1", budget="tiny", seed=0)
    assert r.max_ratio == math.inf and r.violated and r.status == "violated"
    assert all(v == math.inf for v in r.max_ratio_by_source.values())  # random, GD and search keep +inf
    assert r.worst.bound == 0.0 and r.worst.hessian_norm > 0
    assert "VIOLATED" in r.summary() and r.witness is not None
    assert sum(r.n_nonfinite.values()) > 0
