import math

import pytest
import sympy as sp

from warmup_theory.theory import HSmooth
from warmup_theory.theory.validate import check_scalar


@pytest.mark.parametrize("h0,h1,name", [(-1.0, 0.0, "H0"), (0.0, -1e-9, "H1"), (math.nan, 1.0, "H0"),
                                         (1.0, math.inf, "H1")])
def test_bad_constants(h0, h1, name):
    with pytest.raises(ValueError, match=name):
        HSmooth(h0, h1)


def test_type_error():
    with pytest.raises(TypeError, match="H0"):
        HSmooth("1", 0.0)


def test_symbolic_and_negative_symbol():
    h0, h1 = sp.symbols("H0 H1", nonnegative=True)
    assert HSmooth(h0, h1).bound(3) == h0 + 3 * h1
    with pytest.raises(ValueError, match="H0"):
        HSmooth(sp.Symbol("n", negative=True), h1)


def test_bound_and_dict():
    c = HSmooth(1, 2)
    assert c.bound(0.5) == 2.0
    assert c.to_dict() == {"H0": 1.0, "H1": 2.0}
    with pytest.raises(ValueError, match="gap"):
        c.bound(-1.0)


def test_check_scalar_ranges():
    assert check_scalar("x", 1, low=0, high=1) == 1.0
    with pytest.raises(ValueError, match=r"x must be in \(0, 1\]"):
        check_scalar("x", 0.0, low=0, low_open=True, high=1)
