"""Search adapter for Props 3.3 / 3.3-printed: two-layer network, summed cross-entropy + L2.

Loss f(W1, W2) = Σ_j CE_j + (λ1/2)‖W1‖²_F + (λ2/2)‖W2‖²_F (cross-entropy SUMMED over samples;
:mod:`warmup_theory.numerics.models.two_layer`), ratio ‖∇²f‖₂ / (H0 + H1(f − f*)) with the
spectral norm of the dense batched Hessian.

* ``"3.3"``: corrected constants; the bound is affine in f*, so the ratio is evaluated at both
  ends of a bracket [f*_lo, f*_hi] and the larger is reported (f*_hi = f at W = 0: m·log 2 for
  binary, m·log k for softmax; the certified bracket for the one-unit family).
* ``"3.3-printed"``: printed Eq. (31) on the one-sample, one-hidden-unit binary network with
  φ(s) = s + (a/ω)sin(ωs); the search runs over the weights, x, λ1, λ2, a, ω.  The printed
  bound decreases in f*, so it is evaluated with a CERTIFIED LOWER bound on f*
  (:func:`warmup_theory.numerics.models.two_layer.one_unit_f_star_bracket`), and the certified
  global minimisers (:func:`_one_unit_minimisers`) are evaluated too.

>>> TwoLayerCase(k=3, activation="tanh").to_dict()["k"]
3
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import torch

from warmup_theory.numerics.models.two_layer import (
    ACTIVATIONS,
    Activation,
    one_unit_f_star_bracket,
    sine_activation,
    two_layer_ce_loss_batched,
    two_layer_n_params,
)
from warmup_theory.numerics.search.batch import _Batch, batched_hessian
from warmup_theory.numerics.search.constants import _activation_constants, _two_layer_HH
from warmup_theory.numerics.search.ratios import _beats, _nan_low, _Tally, aggregate_ratios
from warmup_theory.numerics.search.trajectories import _ascent, _gd

__all__ = ["TwoLayerCase"]

Best = dict[str, tuple[float, int, torch.Tensor, _Batch]]


@dataclass(frozen=True)
class TwoLayerCase:
    """Family for Props 3.3 / 3.3-printed: d inputs, ``hidden`` units, k outputs, m samples.

    ``activation`` in {"sine", "tanh", ...}: "sine" is φ(s) = s + (a/ω)sin(ωs) with (a, ω)
    searched (log-uniform ω ∈ [1, 300], a ∈ [0.05, 1]); λ1, λ2 log-uniform in [0.05, 5].
    The printed form is checked on d = hidden = k = m = 1 (the certified-f* family).

    >>> TwoLayerCase().to_dict()
    {'model': 'two-layer-ce', 'd': 2, 'hidden': 2, 'k': 1, 'm': 3, 'activation': 'sine'}
    """

    d: int = 2
    hidden: int = 2
    k: int = 1
    m: int = 3
    activation: str = "sine"

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python description of the family."""
        return {"model": "two-layer-ce", "d": self.d, "hidden": self.hidden, "k": self.k, "m": self.m,
                "activation": self.activation}


def _two_layer_batch(case: TwoLayerCase, inst: list[dict[str, Any]], printed: bool, device: torch.device,
                     cells: int) -> _Batch:
    """The batch of the instances (dicts with X (d×m), labels, lam1, lam2, a, omega): f* bracket
    (certified for the one-unit sine family, else [0, f(0)]), constants at its ends (printed:
    the lower end only), batched loss and Hessian.  Adds ``argmin``, ``f_star_bracket``, ``C``
    and ``x_norm`` to each instance dict."""
    d, h, k = case.d, case.hidden, case.k
    act_name = case.activation
    H0s, H1s, fss = [], [], []
    for it in inst:
        x_norm = float(torch.linalg.matrix_norm(it["X"], ord=2))
        C = _activation_constants(act_name, it["a"], it["omega"])
        if printed or (h == 1 and k == 1 and it["X"].shape[1] == 1 and act_name == "sine"):
            lo, hi, w_, s_ = one_unit_f_star_bracket(x_norm, it["lam1"], it["lam2"], it["a"], it["omega"],
                                                     cells=cells, return_argmin=True)
            it["argmin"] = (w_, s_)
        else:
            m = it["X"].shape[1]
            lo, hi = 0.0, it.get("f_hi", math.log(2.0) * m if k == 1 else math.log(k) * m)
        it["f_star_bracket"] = (lo, hi)
        ends = (lo,) if printed else (lo, hi)
        hh = [_two_layer_HH(x_norm, C, it["lam1"], it["lam2"], fe, printed) for fe in ends]
        H0s.append([a for a, _ in hh])
        H1s.append([b for _, b in hh])
        fss.append(list(ends))
        it["C"] = C
        it["x_norm"] = x_norm

    def T(v: list[Any]) -> torch.Tensor:
        """float64 tensor on the device."""
        return torch.tensor(v, dtype=torch.float64, device=device)

    Xs = torch.stack([it["X"] for it in inst]).to(device)
    Ls = torch.stack([it["labels"] for it in inst]).to(device)
    par = T([[it["lam1"], it["lam2"], it["a"], it["omega"]] for it in inst])
    act = ACTIVATIONS.get(act_name)

    def loss(t: torch.Tensor, X: torch.Tensor, lab: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """Batched summed CE + L2; p [B, 4] = (λ1, λ2, a, ω) per instance."""
        phi: Activation
        if act_name == "sine":
            phi = sine_activation(p[:, 2, None, None], p[:, 3, None, None])
        elif act is None:
            raise TypeError(f"activation {act_name!r} has no torch implementation (known: sine, {sorted(ACTIVATIONS)})")
        else:
            phi = act
        return two_layer_ce_loss_batched(t, X, lab, hidden=h, k=k, lam1=p[:, 0], lam2=p[:, 1], activation=phi)

    def hess(t: torch.Tensor, *data: torch.Tensor, create_graph: bool = False) -> torch.Tensor:
        """Dense batched Hessians of :func:`loss`."""
        return batched_hessian(loss, t, *data, create_graph=create_graph)

    point = lambda z, X, lab, p: z
    meta = [{"X": it["X"].tolist(), "labels": it["labels"].tolist(), "lam1": it["lam1"], "lam2": it["lam2"],
             "activation": act_name, "a": it["a"], "omega": it["omega"], "C1_C2_C3": list(it["C"]),
             "x_norm": it["x_norm"], "f_star_bracket": list(it["f_star_bracket"]), "d": d, "hidden": h, "k": k}
            for it in inst]
    return _Batch(point, loss, hess, (Xs, Ls, par), T(H0s), T(H1s), T(fss), meta)


def _two_layer_instances(case: TwoLayerCase, n: int, g: torch.Generator) -> list[dict[str, Any]]:
    """``n`` random instances: X scaled by 10^U(−0.5, 0.5), random labels, λ1, λ2 ∈ 10^[−1.3, 0.7],
    a ∈ [0.05, 1], ω ∈ 10^[0, 2.5]."""

    def u() -> float:
        return torch.rand(1, generator=g).item()

    out = []
    for _ in range(n):
        X = torch.randn(case.d, case.m, generator=g, dtype=torch.float64) * 10 ** (-0.5 + u())
        if case.k == 1:
            labels = torch.where(torch.rand(case.m, generator=g) < 0.5, -1.0, 1.0).to(torch.float64)
        else:
            labels = torch.randint(0, case.k, (case.m,), generator=g)
        out.append({"X": X, "labels": labels, "lam1": 10 ** (-1.3 + 2 * u()), "lam2": 10 ** (-1.3 + 2 * u()),
                    "a": 0.05 + 0.95 * u(), "omega": 10 ** (2.5 * u())})
    return out


def _mutate_two_layer(it: dict[str, Any], g: torch.Generator) -> dict[str, Any]:
    """A log-normal perturbation of X (entrywise), λ1, λ2, a ∈ [0.01, 1] and ω ∈ [1, 1e3]."""

    def e(s: float) -> float:
        return math.exp(s * torch.randn(1, generator=g).item())

    new = dict(it)
    new["X"] = it["X"] * torch.exp(0.2 * torch.randn(it["X"].shape, generator=g, dtype=torch.float64))
    new["lam1"], new["lam2"] = it["lam1"] * e(0.3), it["lam2"] * e(0.3)
    new["a"] = min(1.0, max(0.01, it["a"] * e(0.2)))
    new["omega"] = min(1e3, max(1.0, it["omega"] * e(0.3)))
    return new


def _one_unit_minimisers(batch: _Batch, inst: list[dict[str, Any]], cells: int, device: torch.device,
                         ) -> torch.Tensor:
    """Global minimisers of the one-unit instances: best cell of the 1-D reduction
    (:func:`one_unit_f_star_bracket`), then damped Newton steps on (W1, W2)."""
    th = []
    for it in inst:
        x = it["X"][:, 0]
        xn = float(torch.linalg.vector_norm(x))
        w, s_ = it["argmin"]
        y = float(it["labels"][0])
        th.append(torch.cat([torch.tensor([y * w], dtype=torch.float64), (s_ / xn**2) * x]))
    theta = torch.stack(th).to(device)
    idx = torch.arange(len(inst), device=device)
    data = tuple(t[idx] for t in batch.data)
    for _ in range(8):
        with torch.enable_grad():
            t = theta.detach().requires_grad_(True)
            f = batch.loss(t, *data)
            g = torch.autograd.grad(f.sum(), t)[0]
        H = batch.hess(theta, *data)
        step = torch.linalg.lstsq(H, -g[..., None]).solution[..., 0]
        for _ in range(10):
            new = theta + step
            ok = torch.isfinite(new).all(1) & (batch.loss(new, *data) <= f.detach())
            theta = torch.where(ok[:, None], new, theta)
            if bool(ok.all()):
                break
            step = torch.where(ok[:, None], torch.zeros_like(step), 0.5 * step)
    return theta


Record = Callable[..., None]


def _one_unit_data_search(case: TwoLayerCase, inst: list[dict[str, Any]], B: dict[str, int], printed: bool,
                          device: torch.device, cells: int, g: torch.Generator, tally: _Tally,
                          record: Record) -> None:
    """Cheap derivative-free data search: screen 8·n_data fresh instances at their certified
    global minimisers, then hill-climb (mutations of the best quarter) for ``rounds`` rounds."""
    pool = _two_layer_instances(case, 8 * B["n_data"], g)
    for it in pool:
        it["labels"] = inst[0]["labels"].clone()
    for rnd in range(B["rounds"] + 1):
        sb = _two_layer_batch(case, pool, printed, device, cells)
        ar = torch.arange(len(pool), device=device)
        zm = _one_unit_minimisers(sb, pool, cells, device)
        rm, _, _ = sb.evaluate(zm, ar)
        tally.add("search", rm)
        record("search", rm, ar, zm, sb)
        if rnd == B["rounds"]:
            break
        order = torch.argsort(_nan_low(rm), descending=True).tolist()
        top = order[: max(1, len(pool) // 4)]
        pool = [pool[i] for i in top] + [_mutate_two_layer(pool[i], g) for i in top for _ in range(3)]


def _check_two_layer(prop: str, case: TwoLayerCase, B: dict[str, int], seed: int, device: torch.device,
                     cells: int) -> tuple[TwoLayerCase, Best, dict[str, int], _Tally]:
    """Random points, GD and the adversarial search (weights, then data and λ1, λ2, a, ω) for
    Prop ``prop`` ∈ {"3.3", "3.3-printed"}; returns (case used — the printed form forces the
    one-unit family —, best (ratio, instance, θ, batch) per source, points per source, tally)."""
    printed = prop.endswith("printed")
    if printed:
        case = replace(case, d=1, hidden=1, k=1, m=1, activation="sine")
    g = torch.Generator().manual_seed(seed)
    n_par = two_layer_n_params(case.d, case.hidden, case.k)
    inst = _two_layer_instances(case, B["n_data"], g)
    if printed:
        for it in inst:
            it["labels"] = torch.ones(1, dtype=torch.float64)  # y = +1 w.l.o.g. (w1 → −w1)
    batch = _two_layer_batch(case, inst, printed, device, cells)
    nd = len(inst)
    best: Best = {}
    counts = {"random": 0, "gd": 0, "search": 0}
    tally = _Tally()

    def record(src: str, r: torch.Tensor, idx: torch.Tensor, z: torch.Tensor, b: _Batch | None = None) -> None:
        """Keep the best ratio of ``r`` for ``src`` with its batch (default: the current one)."""
        k, v, _ = aggregate_ratios(r)
        if src not in best or _beats(v, best[src][0]):
            best[src] = (v, int(idx[k]), z[k].detach(), batch if b is None else b)
        counts[src] += int(r.numel())

    def randz(n: int, scales: torch.Tensor) -> torch.Tensor:
        """n Gaussian weight vectors, row i scaled by scales[i]."""
        return (torch.randn(n, n_par, generator=g, dtype=torch.float64) * scales[:, None]).to(device)

    def minimisers() -> None:
        """Evaluate the certified global minimisers of the current instances (one-unit family)."""
        zm = _one_unit_minimisers(batch, inst, cells, device)
        rm, _, _ = batch.evaluate(zm, torch.arange(nd, device=device))
        tally.add("search", rm)
        record("search", rm, torch.arange(nd, device=device), zm)

    nr = B["n_random"]
    idx = torch.arange(nd, device=device).repeat_interleave(nr)
    z = randz(nd * nr, torch.logspace(-2, 1.5, nr, dtype=torch.float64).repeat(nd))
    r, _, _ = batch.evaluate(z, idx)
    tally.add("random", r)
    record("random", r, idx, z)
    ng = B["gd_runs"]
    idx = torch.arange(nd, device=device).repeat_interleave(ng)
    th0 = randz(nd * ng, torch.logspace(-1, 0.5, ng, dtype=torch.float64).repeat(nd))
    for mult in (1.0, 4.0):
        r, th = _gd(batch, th0, idx, B["gd_steps"], mult, None, tally.counter("gd"))
        record("gd", r, idx, th)
    ns = B["starts"]
    idx = torch.arange(nd, device=device).repeat_interleave(ns)
    z = randz(nd * ns, torch.logspace(-1, 0.5, ns, dtype=torch.float64).repeat(nd))
    r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
    record("search", r, idx, zb)
    one_unit = case.hidden == 1 and case.k == 1 and case.m == 1 and case.activation == "sine"
    if one_unit:
        minimisers()
    for _ in range(B["rounds"] - 1):
        per = torch.full((nd,), -math.inf, dtype=torch.float64).scatter_reduce(
            0, idx.cpu(), _nan_low(r.cpu()), "amax")
        top = torch.argsort(per, descending=True)[: max(1, nd // 2)].tolist()
        bestz = {int(i): zb[(idx == i).nonzero()[torch.argmax(_nan_low(r[idx == i]))]].squeeze(0) for i in top}
        inst = [_mutate_two_layer(inst[i], g) for i in top for _ in range(2)]
        z0 = torch.stack([bestz[i] for i in top for _ in range(2)])
        batch = _two_layer_batch(case, inst, printed, device, cells)
        nd = len(inst)
        idx = torch.arange(nd, device=device).repeat_interleave(ns)
        noise = torch.exp(0.1 * torch.randn(nd * ns, n_par, generator=g, dtype=torch.float64)).to(device)
        z = z0.repeat_interleave(ns, 0) * noise
        r, zb = _ascent(batch, z, idx, B["search_steps"], 0.05, on_eval=tally.counter("search"))
        record("search", r, idx, zb)
        if one_unit:
            minimisers()
    if one_unit:
        _one_unit_data_search(case, inst, B, printed, device, cells, g, tally, record)
    return case, best, counts, tally
