"""Claims as machine-checked steps.

A *claim* is one result of the paper (id = its v2 label, e.g. ``"Prop B.2"``; a
printed form that is wrong gets the suffix ``" (printed)"``) or one of the
toolkit's own results.  Its proof is a function that receives a :class:`Proof`
and records *steps*:

* ``identity(lhs, rhs)`` — sympy proves ``simplify(lhs - rhs) == 0``;
* ``nonneg(expr)`` — sympy proves ``expr >= 0`` from the assumptions on the
  symbols (directly, after factoring, or as a polynomial with non-negative
  coefficients in non-negative symbols);
* ``fact(description, ok, method=...)`` — any other argument (a derivative sign,
  a certified numeric bracket, a model run) whose check the caller *computed*;
* ``cite(description, standard=True)`` — a step argued in words, not by a
  machine: a standard named theorem (triangle inequality, Grönwall, the ODE
  comparison principle, …: method ``cited``) or, with ``standard=False``, a hand
  argument specific to this claim (method ``hand``);
* ``sample(description, fn, n)`` — the randomized check of the final
  inequality on seeded random instances (required for every claim that is not a
  defect report);
* ``witness(...)`` — for a printed form: a concrete instance violating it,
  re-checked by the claim itself.

Verdicts: ``proved`` (every proof step symbolic, certified numeric, or a cited
standard theorem; all pass), ``holds`` (all pass, but some proof step is only
sampled, on a model, or a hand argument),
``defective`` (a printed form with a confirmed witness), ``failed`` (any step
fails, or a printed form without a witness).

>>> import sympy as sp
>>> from warmup_theory.proofs_checks.framework import Proof
>>> x = sp.Symbol("x", real=True)
>>> p = Proof()
>>> p.nonneg((x - 1) ** 2, "square is non-negative")
True
>>> p.identity((x + 1) ** 2, x**2 + 2 * x + 1, "binomial")
True
"""

from __future__ import annotations

import json
import math
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import sympy as sp

__all__ = [
    "Claim",
    "ClaimResult",
    "Proof",
    "Step",
    "ClaimRegistry",
    "claim",
    "registry",
    "resolve_id",
    "run_claim",
]

METHODS = ("symbolic", "certified-numeric", "cited", "hand", "instance", "sampled", "model")
VERDICTS = ("proved", "holds", "defective", "failed")


@dataclass(frozen=True)
class Step:
    """One checked step: what it shows, how, whether it passed, and details."""

    description: str
    method: str
    ok: bool
    detail: str = ""
    role: str = "proof"  # "proof": part of the argument; "check": the randomized cross-check

    def to_dict(self) -> dict[str, Any]:
        """The step as a JSON-ready dict."""
        return asdict(self)


class ProofError(AssertionError):
    """Raised by ``Proof.require`` to abort a proof whose step failed."""


class Proof:
    """Collects the steps of one claim's proof (see module docstring)."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.witnesses: list[dict[str, Any]] = []

    # -- symbolic steps -------------------------------------------------
    def identity(self, lhs: Any, rhs: Any, description: str) -> bool:
        """Record that ``lhs == rhs`` identically (sympy simplification to 0)."""
        diff = sp.simplify(sp.sympify(lhs) - sp.sympify(rhs))
        if diff != 0:
            diff = sp.simplify(sp.expand(sp.expand_trig(sp.expand(diff.rewrite(sp.exp)))))
        ok = diff == 0
        self.steps.append(Step(description, "symbolic", bool(ok), "" if ok else f"residual {diff}"))
        return bool(ok)

    def nonneg(self, expr: Any, description: str) -> bool:
        """Record that ``expr >= 0`` under the symbols' assumptions, if sympy proves it."""
        ok, how = prove_nonneg(sp.sympify(expr))
        self.steps.append(Step(description, "symbolic", ok, how))
        return ok

    def leq(self, lhs: Any, rhs: Any, description: str) -> bool:
        """Record ``lhs <= rhs`` by proving ``rhs - lhs >= 0``."""
        return self.nonneg(sp.sympify(rhs) - sp.sympify(lhs), description)

    # -- other arguments ---------------------------------------------------
    def fact(self, description: str, ok: bool, *, method: str, detail: str = "", role: str = "proof") -> bool:
        """Record an argument checked by the caller (``method`` in METHODS, required; ``role`` "proof" or "check").

        ``method`` says how ``ok`` was computed, and must be given (no default, so that nothing is labelled
        "symbolic" by omission): ``"symbolic"`` — sympy decided it on symbols (or exactly, on exact numbers
        a claim is *about*); ``"certified-numeric"`` — an interval / rigorous-error certificate;
        ``"instance"`` — evaluated on one or a few numeric instances (a calculator at given numbers, edge
        cases at given numbers, "symbolic path = float path" on one instance): not a proof, so a proof step of
        this kind caps the verdict at ``holds``; ``"sampled"`` / ``"model"`` — randomized or model runs.
        ``role="check"``: a cross-check of the implementation, not a step of the mathematical argument
        (it must pass, but does not affect ``proved`` vs ``holds``).

        >>> p = Proof()
        >>> p.fact("calculator at H0 = 1 returns 2", True, method="instance", role="check")
        True
        >>> p.fact("forgot the method", True)
        Traceback (most recent call last):
        ...
        TypeError: Proof.fact() missing 1 required keyword-only argument: 'method'
        """
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        if role not in ("proof", "check"):
            raise ValueError(f"role must be 'proof' or 'check', got {role!r}")
        self.steps.append(Step(description, method, bool(ok), detail, role))
        return bool(ok)

    def cite(self, description: str, *, standard: bool = True, detail: str = "") -> bool:
        """Record a step argued in words (always passes; shown by ``verify --steps``).

        ``standard=True``: a standard named theorem, stated precisely with its
        hypotheses (method ``cited``; compatible with the verdict ``proved``).
        ``standard=False``: a hand argument specific to this claim (method
        ``hand``): the claim's verdict is then at most ``holds``.
        """
        method = "cited" if standard else "hand"
        self.steps.append(Step(description, method, True, detail))
        return True

    def uses(self, claim_id: str, description: str) -> bool:
        """Record a step proved by another claim of the toolkit: that claim is run (once per
        process) and its verdict carried over — ``proved`` gives a ``cited`` step, ``holds`` a
        ``hand`` step (capping this claim at ``holds``), anything else a failed step."""
        dep = _dependency_verdict(claim_id)
        method = {"proved": "cited", "holds": "hand"}.get(dep, "symbolic")
        ok = dep in ("proved", "holds")
        self.steps.append(Step(f"{description} (claim {claim_id!r})", method, ok, f"that claim: {dep}"))
        return ok

    def sample(
        self,
        description: str,
        fn: Callable[[np.random.Generator], tuple[float, float]],
        n: int = 500,
        *,
        seed: int = 0,
        rtol: float = 1e-9,
        atol: float = 1e-12,
        method: str = "sampled",
        role: str = "check",
    ) -> bool:
        """Randomized check: ``fn(rng)`` returns ``(lhs, rhs)`` that must satisfy lhs <= rhs.

        Tolerance ``lhs <= rhs + rtol*|rhs| + atol`` absorbs float64 rounding only.
        Records the worst ratio ``lhs / rhs`` seen; fails on any NaN.  With the
        default ``role="check"`` this is the claim's randomized cross-check; with
        ``role="proof"`` the sampling is itself part of the argument, and the
        verdict can then be at most ``holds``.
        """
        rng = np.random.default_rng(seed)
        worst = -math.inf
        bad = None
        for i in range(n):
            lhs, rhs = fn(rng)
            lhs, rhs = float(lhs), float(rhs)
            if not (math.isfinite(lhs) and math.isfinite(rhs)) or lhs > rhs + rtol * abs(rhs) + atol:
                bad = (i, lhs, rhs)
                break
            if rhs > 0:
                worst = max(worst, lhs / rhs)
        ok = bad is None
        if bad is None:
            detail = f"{n} instances (seed {seed}), worst lhs/rhs = {worst:.6g}"
        else:
            detail = f"instance {bad[0]} (seed {seed}): lhs={bad[1]!r} > rhs={bad[2]!r}"
        self.steps.append(Step(description, method, ok, detail, role))
        return ok

    def witness(self, description: str, confirmed: bool, **data: Any) -> bool:
        """Record a counterexample to a printed form; ``confirmed`` = re-checked violation."""
        record = {"description": description, **{k: _jsonable(v) for k, v in data.items()}}
        if confirmed:
            self.witnesses.append(record)
        self.steps.append(Step(f"witness: {description}", "certified-numeric", bool(confirmed),
                               json.dumps(record, default=str)))
        return bool(confirmed)

    def require(self, ok: bool, message: str = "step failed") -> None:
        """Abort the proof (verdict failed) when ``ok`` is false."""
        if not ok:
            raise ProofError(message)


def prove_nonneg(expr: sp.Expr) -> tuple[bool, str]:
    """Try to prove ``expr >= 0`` from symbol assumptions; returns (ok, how)."""
    candidates = [("direct", expr)]
    try:
        candidates.append(("simplify", sp.simplify(expr)))
        candidates.append(("factor", sp.factor(sp.together(expr))))
        candidates.append(("expand", sp.expand(expr)))
    except Exception:
        pass
    for how, e in candidates:
        if e.is_nonnegative:
            return True, f"sympy: {how} form is non-negative"
        if _poly_nonneg(e):
            return True, f"{how} form: polynomial with non-negative coefficients in non-negative symbols"
        num, den = sp.fraction(sp.together(e))
        if (num.is_nonnegative or _poly_nonneg(sp.expand(num))) and den.is_positive:
            return True, f"{how} form: non-negative numerator over positive denominator"
    return False, f"sympy could not prove {sp.simplify(expr)} >= 0"


def _poly_nonneg(e: sp.Expr) -> bool:
    syms = sorted(e.free_symbols, key=str)
    if not syms or not all(s.is_nonnegative for s in syms):
        return False
    try:
        poly = sp.Poly(sp.expand(e), *syms)
    except sp.PolynomialError:
        return False
    return all(c.is_nonnegative for c in poly.coeffs())


def _jsonable(v: Any) -> Any:
    if isinstance(v, (bool, int, str)) or v is None:
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    if isinstance(v, sp.Basic):
        return str(v) if v.free_symbols or not v.is_number else float(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return str(v)


@dataclass(frozen=True)
class Claim:
    """A registered claim: id (paper label, v2), statement, proof function."""

    id: str
    statement: str
    proof: Callable[[Proof], None]
    printed: bool = False  # True: a printed form the toolkit reports as defective
    module: str = ""


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of :func:`run_claim`: verdict, summary method, timing, the steps and the first witness."""

    id: str
    statement: str
    method: str
    verdict: str
    seconds: float
    steps: tuple[Step, ...] = field(default_factory=tuple)
    witness: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (what ``warmup-theory verify --json`` prints)."""
        d = {
            "id": self.id,
            "statement": self.statement,
            "verdict": self.verdict,
            "method": self.method,
            "seconds": round(self.seconds, 4),
            "steps": [s.to_dict() for s in self.steps],
        }
        if self.witness is not None:
            d["witness"] = self.witness
        if self.error:
            d["error"] = self.error
        return d


_REGISTRY: dict[str, Claim] = {}


def claim(
    id: str, statement: str, *, printed: bool = False
) -> Callable[[Callable[[Proof], None]], Callable[[Proof], None]]:
    """Decorator registering a proof function as the claim ``id``."""

    def deco(fn: Callable[[Proof], None]) -> Callable[[Proof], None]:
        if id in _REGISTRY and _REGISTRY[id].proof.__qualname__ != fn.__qualname__:
            raise ValueError(f"duplicate claim id {id!r}")
        _REGISTRY[id] = Claim(id, statement, fn, printed, fn.__module__)
        return fn

    return deco


class ClaimRegistry(dict[str, Claim]):
    """The claims by id, in report order; an old id of :data:`~warmup_theory.proofs_checks.claims.ALIASES`
    (e.g. ``"Prop 3.4"``, now ``"Prop 3.4′ (toolkit: …)"``) is looked up as its current id."""

    def __missing__(self, key: str) -> Claim:
        from warmup_theory.proofs_checks.claims import ALIASES

        if key in ALIASES and ALIASES[key] in self:
            return self[ALIASES[key]]
        raise KeyError(key)


def resolve_id(claim_id: str) -> str:
    """The current id of ``claim_id`` (itself unless it is an old id listed in ``claims.ALIASES``).

    >>> resolve_id("Prop 3.4")
    'Prop 3.4′ (toolkit: linear attention over a fixed prompt set)'
    >>> resolve_id("Prop B.2")
    'Prop B.2'
    """
    from warmup_theory.proofs_checks.claims import ALIASES

    return ALIASES.get(claim_id, claim_id)


def registry() -> ClaimRegistry:
    """All claims, after importing every module of ``warmup_theory.proofs_checks.claims``, in report order.

    The ids of ``claims.REPORT_ORDER`` come first, in that order, then any other claim in registration order;
    so the order depends neither on how the claims are split into modules nor on what was imported before.
    Old ids (``claims.ALIASES``) still index the result: ``registry()["Thm 4.2"]`` is the toolkit's Thm 4.2′.
    """
    import importlib
    import pkgutil

    from warmup_theory.proofs_checks import claims

    for info in sorted(pkgutil.iter_modules(claims.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{claims.__name__}.{info.name}")
    rank = {cid: i for i, cid in enumerate(claims.REPORT_ORDER)}
    ordered = sorted(_REGISTRY, key=lambda cid: rank.get(cid, len(rank)))  # stable: the rest keep their order
    return ClaimRegistry((cid, _REGISTRY[cid]) for cid in ordered)


_DEPENDENCY_CACHE: dict[str, str] = {}


def _dependency_verdict(claim_id: str) -> str:
    claim_id = resolve_id(claim_id)
    if claim_id not in _DEPENDENCY_CACHE:
        claims = registry()
        if claim_id not in claims:
            return "missing"
        _DEPENDENCY_CACHE[claim_id] = "running"  # a cycle reads as not proved
        _DEPENDENCY_CACHE[claim_id] = run_claim(claims[claim_id]).verdict
    return _DEPENDENCY_CACHE[claim_id]


def _summarise_method(steps: Iterable[Step]) -> str:
    used = [m for m in METHODS if any(s.method == m for s in steps)]
    return "+".join(used) if used else "none"


def run_claim(c: Claim) -> ClaimResult:
    """Run one claim's proof and decide its verdict."""
    p = Proof()
    t0 = time.perf_counter()
    error = None
    try:
        c.proof(p)
    except ProofError as exc:
        error = f"aborted: {exc}"
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
    seconds = time.perf_counter() - t0
    steps = tuple(p.steps)
    all_ok = error is None and bool(steps) and all(s.ok for s in steps)
    if c.printed:
        verdict = "defective" if error is None and p.witnesses else "failed"
    elif not all_ok:
        verdict = "failed"
    elif any(s.role == "proof" and s.method in ("instance", "sampled", "model", "hand") for s in steps) or not any(
        s.role == "proof" for s in steps
    ):
        verdict = "holds"
    else:
        verdict = "proved"
    if c.printed and verdict == "defective":
        # a defect report's own non-witness steps must also pass
        if not all(s.ok for s in steps if not s.description.startswith("witness:")):
            verdict = "failed"
    return ClaimResult(
        id=c.id,
        statement=c.statement,
        method=_summarise_method(steps),
        verdict=verdict,
        seconds=seconds,
        steps=steps,
        witness=p.witnesses[0] if p.witnesses else None,
        error=error,
    )
