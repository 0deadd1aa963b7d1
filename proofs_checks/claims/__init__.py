"""The claims: one module per part of the paper, each registering its claims with ``@claim``.

:func:`warmup_theory.proofs_checks.framework.registry` imports every module of this package.
"""
