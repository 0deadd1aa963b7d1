"""Symbolic layer of warmup-theory (sympy only; never imports torch or numerics).

(H0,H1)-smoothness (Definition 3.1, v2): ||∇²f(w)||₂ <= H0 + H1·(f(w) − f*).

Sub-modules: ``certify`` (frontier of a sympy function), ``lemmas`` (gradient and descent bounds),
``relations`` (Prop B.1, the (L0,L1) inclusion), ``closure`` (Prop B.2 and further rules),
``bounds`` (step sizes and iteration bounds, Thms 4.1–4.3), ``hard_functions``, ``regime``,
``architectures`` (Props 3.2, 3.3, D.1, 3.4).
"""

from warmup_theory.theory import architectures, bounds, closure, hard_functions, lemmas, regime, relations
from warmup_theory.theory.certify import Answer, Bracket, Certificate, certify
from warmup_theory.theory.hsmooth import HSmooth
from warmup_theory.theory.lemmas import descent_bound, gradient_norm_bound, quadratic_descent_bound, safe_step_max
from warmup_theory.theory.relations import from_l0_l1, from_l_smooth

__all__ = [
    "Answer",
    "Bracket",
    "Certificate",
    "HSmooth",
    "architectures",
    "bounds",
    "certify",
    "closure",
    "descent_bound",
    "from_l0_l1",
    "from_l_smooth",
    "gradient_norm_bound",
    "hard_functions",
    "lemmas",
    "quadratic_descent_bound",
    "regime",
    "relations",
    "safe_step_max",
]
