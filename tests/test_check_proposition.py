"""check_proposition: finds both printed defects without being handed a witness, and no
violation of the corrected / toolkit constants (small seeded sweeps)."""

from __future__ import annotations

import json

import pytest
import torch
from torch.func import hessian

from numerics.check import (
    AttentionCase,
    DeepLinearCase,
    TwoLayerCase,
    check_proposition,
)
from numerics.models.deep_linear import deep_linear_loss
from numerics.models.two_layer import one_unit_f_star_bracket, sine_activation, two_layer_ce_loss


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
    from theory.architectures import two_layer_ce_constants

    r = check_proposition("3.3-printed", budget="tiny", seed=0)
    assert r.violated and r.witness_confirmed
    w = r.witness
    lo, hi = one_unit_f_star_bracket(abs(w["X"][0][0]), w["lam1"], w["lam2"], w["a"], w["omega"], cells=200_000)
    assert lo == pytest.approx(w["f_star_bracket"][0], abs=1e-12)
    X = torch.tensor(w["X"], dtype=torch.float64)
    lab = torch.tensor(w["labels"], dtype=torch.float64)
    th = torch.tensor(w["theta_W1_W2"], dtype=torch.float64)
    loss = lambda t: two_layer_ce_loss(t, X, lab, hidden=1, k=1, lam1=w["lam1"], lam2=w["lam2"],  # noqa: E731
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
