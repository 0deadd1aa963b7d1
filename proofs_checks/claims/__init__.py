"""The claims: one module per part of the paper, each registering its claims with ``@claim``.

:func:`warmup_theory.proofs_checks.framework.registry` imports every module of this package and lists the claims
in :data:`REPORT_ORDER` (then any claim not named there, in registration order), so the report's order does not
depend on how the claims are split into modules:

* the class and its rules: ``definition`` (Def 3.1), ``relations`` (Prop B.1, (L0,L1)), ``lemmas``, ``closure``
  (Prop B.2 and the closure rules); the gallery of hand-derived members is ``fixtures.gallery`` (re-exported by
  ``smoothness``, the old module name);
* the architectures: ``deep_linear`` (Prop 3.2), ``two_layer`` (Prop 3.3), ``architectures`` (Prop D.1, Prop 3.4,
  activation constants), ``models`` (the six propositions by numerical search);
* Section 4: ``step_sizes``, ``extremal_functions``, ``convergence_pl`` (Thm 4.3), ``lower_bounds`` (Thm 4.1),
  ``convergence_aiming`` (Thm 4.2), ``bounds_extra``, ``gd_problems``;
* the curvature engine: ``curvature`` (the Lanczos bracket).
"""

#: Old ids -> current ids.  A result that is the toolkit's own and *replaces* a paper result (the paper's
#: statement or constants are unknown: Prop 3.4, Prop D.1, Thm 4.1(1–2); or the toolkit proves its own
#: constants where the paper gives an O(·): Thm 4.2) carries a primed id naming it as the toolkit's, so that
#: nobody reads its verdict as the paper's statement verified.  The old ids keep working
#: (``registry()[old]``, ``Proof.uses(old, …)``, ``verify --only old``).
ALIASES: dict[str, str] = {
    'Prop 3.4': 'Prop 3.4′ (toolkit: linear attention over a fixed prompt set)',
    'Prop 3.4 (search)': 'Prop 3.4′ (toolkit, search)',
    'Prop D.1': 'Prop D.1′ (toolkit: one leaky-ReLU unit, balanced weights)',
    'Prop D.1 (search)': 'Prop D.1′ (toolkit, search)',
    'Thm 4.2': 'Thm 4.2′ (toolkit: direct proof, θ > 1/10)',
    'Thm 4.1(1-2)': 'Thm 4.1(1-2)′ (toolkit: quadratic member, θ <= 2)',
    'Thm 4.2 (printed)': 'Thm 4.2 printed form (θ = 1): valid, looser than Thm 4.2′',
}

#: The order of the verification report (the claim ids as the 0.1 report listed them).
REPORT_ORDER: tuple[str, ...] = (
    'Prop 3.2',
    'Prop 3.2 (printed)',
    'Prop 3.3',
    'Prop 3.3 (printed)',
    'Prop D.1′ (toolkit: one leaky-ReLU unit, balanced weights)',
    'Prop 3.4′ (toolkit: linear attention over a fixed prompt set)',
    'Activation constants',
    'Aiming fixed-step bound',
    'Regime crossover (PL)',
    'Thm 4.3 printed form: valid when gap0 > eps',
    'Lemma descent (adaptive step)',
    'Lemma adaptive family',
    'Lemma fixed-step stability',
    'Hard function (PL)',
    'Cosh function',
    'Thm 4.3 phase 1',
    'Thm 4.3 phase 2',
    'Thm 4.3',
    'Thm 4.3 (printed)',
    'Lemma PL recursion',
    'Lemma log inequality',
    'Thm 4.1(3)',
    'Thm 4.1(3) (printed)',
    'Thm 4.2′ (toolkit: direct proof, θ > 1/10)',
    'Thm 4.2 printed form (θ = 1): valid, looser than Thm 4.2′',
    'Lemma aiming telescoping',
    'Thm 4.1(1-2)′ (toolkit: quadratic member, θ <= 2)',
    'Claim fixed vs adaptive ratio',
    'Lemma aiming recursion',
    'Lemma Lanczos lower bound',
    'Lemma quadrature certificate',
    'Lemma non-orthogonal Lanczos certificate',
    'Def 3.1',
    'Def 3.1: non-smooth',
    'Frontier w^(2p)',
    'PL constants of the GD catalogue',
    'Prop 3.2 (search)',
    'Prop 3.2 (printed, search)',
    'Prop 3.3 (search)',
    'Prop 3.3 (printed, search)',
    'Prop D.1′ (toolkit, search)',
    'Prop 3.4′ (toolkit, search)',
    'Prop B.1',
    'Lemma (L0,L1)⇒(H0,H1)',
    'Lemma gradient bound',
    'Lemma gradient bound tightness',
    'Lemma comparison descent',
    'Lemma safe step',
    'Prop B.2',
    'Prop B.2 (printed)',
    'Closure scale',
    'Closure affine',
    'Closure average',
    'Closure add-smooth',
    'Lemma SGD batch', 'Lemma SGD distance step', 'Lemma SGD expected decrement', 'Lemma SGD gap from distance',
    'Thm SGD aiming', 'Thm SGD PL', 'Thm SGD PL fixed', 'SGD without interpolation (witness)',
)
