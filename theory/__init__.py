"""Symbolic layer of warmup-theory (sympy only; never imports torch or numerics).

(H0,H1)-smoothness (Definition 3.1, v2): ||∇²f(w)||₂ <= H0 + H1·(f(w) − f*).
"""

from theory.hsmooth import HSmooth

__all__ = ["HSmooth"]
