"""Benchmark of the curvature engine (issue 4): HVPs and wall time to a certified relative bracket.

For each problem: Lanczos (stop on the certified bracket, tol 1e-6, delta 1e-3) against power
iteration stopped when the estimate changes by < 1e-3 (the rule common Hessian tools use), with
the error each actually achieved against a reference (dense float64 eigvalsh where n is small,
else a Lanczos run certified to 1e-10). "Equal accuracy" ratios: the HVPs power iteration needs
to reach Lanczos's achieved accuracy (capped), and the HVPs Lanczos needs to reach power's.
Also: cost of one HVP vs one gradient on the ~1M-parameter MLP, and the dense/Lanczos crossover
that sets AUTO_DENSE_MAX.

Issue 11 (benchmarks/curvature_engine.py, benchmarks/curvature_peers.py):
  --engine    this project's Lanczos (stop=bracket and stop=residual, tol 1e-6) against the bare HVP
              and scipy eigsh on the same HVP, three MLPs (837 / 203,530 / 1,068,810 parameters),
              at one thread and at the default thread count (--quick: the small model only);
  --tracking  warm-started CurvatureTracker along a 1,000-step SGD run of the 203,530-parameter MLP
              (--quick: 60 steps), checked against cold Lanczos runs;
  --peers     one table: this project, scipy eigsh, curvlinops, PyHessian, hessian-eigenthings
              (each when installed, else skipped with a note) against a dense float64 reference.

Run: python benchmarks/curvature.py [--quick] [--compile] [--hvp-only] [--engine] [--tracking] [--peers]
"""

from __future__ import annotations

import argparse
import platform
import time

import torch
from torch import nn
from torch.func import functional_call, grad, jvp

from warmup_theory.numerics.curvature.lanczos import lanczos_norm
from warmup_theory.numerics.curvature.model import model_problem
from warmup_theory.numerics.curvature.power import power_norm
from warmup_theory.numerics.curvature.spectral_norm import solve_problem

F64 = torch.float64
CE = nn.functional.cross_entropy


def orth(d: int, g: torch.Generator) -> torch.Tensor:
    q, r = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=F64))
    return q * torch.sign(torch.diagonal(r))


def balanced_dln(depth: int = 4, d: int = 10, m: int = 50, seed: int = 0):
    """W_i = U_{i+1} diag(s)^{1/l} U_i^T (strongly balanced), f = (1/m)||W_l...W_1 X - Y||_F^2."""
    g = torch.Generator().manual_seed(seed)
    U = [orth(d, g) for _ in range(depth + 1)]
    s = torch.linspace(0.5, 2.0, d, dtype=F64)
    params = {f"W{i}": U[i + 1] @ torch.diag(s ** (1.0 / depth)) @ U[i].T for i in range(depth)}
    X = torch.randn(d, m, generator=g, dtype=F64)
    Y = torch.randn(d, m, generator=g, dtype=F64)

    def f(p):
        P = p["W0"]
        for i in range(1, depth):
            P = p[f"W{i}"] @ P
        return ((P @ X - Y) ** 2).sum() / m
    from warmup_theory.numerics.curvature.hvp import FlatProblem
    return FlatProblem.from_loss(f, params)


def mlp_ce(sizes, n_samples, seed=0, clustered=False):
    """Tanh MLP at PyTorch's default init; Gaussian inputs with random labels, or (clustered)
    inputs = class mean (norm 3) + unit noise, the setting where CE Hessians show outliers."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    layers = []
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.Tanh()]
    model = nn.Sequential(*layers[:-1])
    X = torch.randn(n_samples, sizes[0], generator=g)
    y = torch.randint(0, sizes[-1], (n_samples,), generator=g)
    if clustered:
        means = torch.randn(sizes[-1], sizes[0], generator=g)
        X = X + 3.0 * means[y] / means.norm(dim=1, keepdim=True)[y]
    return model, [(X, y)]


class TinyTransformer(nn.Module):
    def __init__(self, d=16, heads=2, ff=32, vocab=None):
        super().__init__()
        self.enc = nn.TransformerEncoderLayer(d, heads, dim_feedforward=ff, dropout=0.0, batch_first=True)
        self.head = nn.Linear(d, 1)

    def forward(self, x):
        return self.head(self.enc(x).mean(dim=1))


def transformer_problem(seed=0):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = TinyTransformer()
    X = torch.randn(32, 8, 16, generator=g)
    y = torch.randn(32, 1, generator=g)
    # ((o - t)**2).mean() rather than F.mse_loss: the latter has no forward-over-reverse rule in
    # torch 2.13 ("ZeroTensors are immutable") and would fall back to reverse-over-reverse.
    return model_problem(model, lambda o, t: ((o - t) ** 2).mean(), [(X, y)], device="cpu")


def first_at(history, ref, target):
    for h in history:
        if abs(h[1] - ref) <= target * ref:
            return h[0]
    return None


def compare(name, problem, ref, ref_note, power_cap, lines, max_hvps=120):
    gen = lambda: torch.Generator().manual_seed(1)
    hist: list = []
    t0 = time.perf_counter()
    lan = lanczos_norm(problem.hvp, problem.n, tol=1e-6, max_hvps=max_hvps, v0=None, generator=gen(),
                       delta=1e-3, history=hist)
    t_lan = time.perf_counter() - t0
    if ref is None:  # the certified run is its own reference (uncertainty: its bracket width)
        ref = lan["value"]
        ref_note = (f"this Lanczos run (bracket {(lan['upper'] - lan['lower']) / lan['lower']:.0e})",
                    (lan["upper"] - lan["lower"]) / lan["lower"])
    phist: list = []
    t0 = time.perf_counter()
    pw = power_norm(problem.hvp, problem.n, tol=1e-3, max_hvps=power_cap, v0=None, generator=gen(),
                    delta=1e-3, history=phist)
    t_pw = time.perf_counter() - t0
    err_lan = abs(lan["value"] - ref) / ref
    err_pw = abs(pw["value"] - ref) / ref
    width = (lan["upper"] - lan["lower"]) / lan["lower"]
    # equal accuracy 1: Lanczos HVPs to reach power's achieved error (from its Ritz history)
    lan_at_pw = first_at(hist, ref, err_pw)
    # equal accuracy 2: HVPs to an error <= 1e-6 (Lanczos's Ritz estimate, uncertified) and power
    target = max(1e-6, ref_note[1])
    lan_at_6 = first_at(hist, ref, target)
    phist2: list = []
    power_norm(problem.hvp, problem.n, tol=1e-15, max_hvps=power_cap, v0=None, generator=gen(),
               delta=1e-3, history=phist2)
    pw_at_6 = first_at(phist2, ref, target)
    row = (f"| {name} | {problem.n:,} | {lan['hvps']} | {t_lan:.2f} | {width:.1e} | {err_lan:.1e} | "
           f"{pw['hvps']} | {t_pw:.2f} | {err_pw:.1e} | {lan_at_pw} | {target:.0e} | {lan_at_6} | "
           f"{pw_at_6 if pw_at_6 else f'>{power_cap}'} | {ref_note[0]} |")
    print(row, flush=True)
    lines.append(row)
    return lan, pw


def _min_times(fns: dict, reps: int) -> dict:
    """Minimum over ``reps`` rounds of each callable, the order alternating between rounds
    (robust to other users of a shared CPU and to drift)."""
    for fn in fns.values():
        fn()  # warm-up
    ts: dict = {k: [] for k in fns}
    names = list(fns)
    for r in range(reps):
        for k in (names if r % 2 == 0 else names[::-1]):
            t0 = time.perf_counter()
            fns[k]()
            ts[k].append(time.perf_counter() - t0)
    return {k: min(v) for k, v in ts.items()}


def hvp_vs_grad(compile_: bool, reps: int = 7):
    model, data = mlp_ce([784, 1024, 256, 10], 256)
    X, y = data[0]
    params = {k: v.detach() for k, v in model.named_parameters()}
    n = sum(v.numel() for v in params.values())
    f = lambda p: CE(functional_call(model, p, (X,)), y)
    v = {k: torch.randn_like(t) for k, t in params.items()}
    g = grad(f)
    hvp = lambda: jvp(g, (params,), (v,))[1]
    rr = lambda: grad(lambda p: sum((a * v[k]).sum() for k, a in g(p).items()))(params)
    # cached gradient graph: grad built once with create_graph=True, one backward per HVP
    leaves = {k: t.clone().requires_grad_(True) for k, t in params.items()}
    gs = torch.autograd.grad(f(leaves), list(leaves.values()), create_graph=True)
    vs = [v[k] for k in leaves]
    cached = lambda: torch.autograd.grad(gs, list(leaves.values()), vs, retain_graph=True)
    # the package path (warmup_theory.numerics.curvature.model_problem, float32, flat vectors), default mode
    prob = model_problem(model, CE, data, dtype=torch.float32, device="cpu")
    vflat = torch.cat([t.reshape(-1) for t in vs])
    prob.hvp(vflat)  # warm-up; the first HVP builds the graph and cross-checks it
    firsts = []
    for _ in range(3):  # the first HVP of fresh problems, after warm-up
        fresh = model_problem(model, CE, data, dtype=torch.float32, device="cpu")
        t0 = time.perf_counter()
        fresh.hvp(vflat)
        firsts.append(time.perf_counter() - t0)
    del fresh
    first = min(firsts)
    out = _min_times({"grad": lambda: g(params), "hvp forward-over-reverse": hvp,
                      "hvp reverse-over-reverse": rr, "hvp cached gradient graph": cached,
                      "package grad (FlatProblem.gradient)": prob.gradient,
                      "package hvp (FlatProblem.hvp, default mode)": lambda: prob.hvp(vflat)}, reps)
    out["package first hvp (graph build + cross-check)"] = first
    out["package hvp modes"] = ", ".join(sorted(set(prob.modes)))
    out["package graph MiB"] = f"{prob.graph_bytes / 2 ** 20:.1f}"
    if compile_:
        try:
            cg = torch.compile(lambda p: g(p))
            ch = torch.compile(lambda p, u: jvp(g, (p,), (u,))[1])
            t0 = time.perf_counter()
            cg(params), ch(params, v)
            out["compile time"] = time.perf_counter() - t0
            out.update(_min_times({"grad compiled": lambda: cg(params), "hvp compiled": lambda: ch(params, v)},
                                  reps))
        except Exception as err:  # report, do not fail the benchmark
            out["compile error"] = repr(err)[:120]
    return n, out


def hvp_report(t: dict, n: int) -> list[str]:
    lines = [f"HVP vs gradient, MLP 784-1024-256-10, n = {n:,}, 256 samples, float32, CPU "
             f"(min of 7 runs, alternating order):"]
    for k, v in t.items():
        lines.append(f"- {k}: {v * 1e3:.1f} ms" if isinstance(v, float) else f"- {k}: {v}")
    if "grad" in t:
        g, pg = t["grad"], t["package grad (FlatProblem.gradient)"]
        lines.append(f"- ratio hvp/grad: forward-over-reverse {t['hvp forward-over-reverse'] / g:.2f}, "
                     f"reverse-over-reverse {t['hvp reverse-over-reverse'] / g:.2f}, "
                     f"cached gradient graph {t['hvp cached gradient graph'] / g:.2f}; package "
                     f"{t['package hvp (FlatProblem.hvp, default mode)'] / pg:.2f} "
                     f"(first HVP {t['package first hvp (graph build + cross-check)'] / pg:.2f})")
    return lines


def crossover(lines):
    rows = []
    for h in (4, 8, 16, 32):
        model, data = mlp_ce([10, h, 4], 64)
        prob = model_problem(model, CE, data, device="cpu")
        times = {}
        for method in ("dense", "lanczos"):
            t0 = time.perf_counter()
            solve_problem(prob, method=method, generator=torch.Generator().manual_seed(0))
            times[method] = time.perf_counter() - t0
        rows.append((prob.n, times["dense"], times["lanczos"]))
        line = f"| {prob.n} | {times['dense']:.3f} | {times['lanczos']:.3f} |"
        print(line, flush=True)
        lines.append(line)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the ~1M model and the crossover")
    ap.add_argument("--compile", action="store_true", help="also time torch.compile'd grad/HVP")
    ap.add_argument("--hvp-only", action="store_true",
                    help="only the cost of one HVP vs one gradient on the ~1M-parameter MLP (seconds)")
    ap.add_argument("--engine", action="store_true", help="issue 11: Lanczos vs bare HVP and scipy eigsh")
    ap.add_argument("--tracking", action="store_true", help="issue 11: warm-started tracking along SGD")
    ap.add_argument("--peers", action="store_true", help="issue 11: peer tools in one table")
    args = ap.parse_args()
    default_threads = max(1, torch.get_num_threads())
    torch.set_num_threads(default_threads)
    lines = [f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"{platform.processor() or platform.machine()}, torch {torch.__version__}, "
             f"threads {torch.get_num_threads()}, CUDA {torch.cuda.is_available()}"]
    print(lines[0])
    if args.engine or args.tracking or args.peers:
        issue11(args.engine, args.tracking, args.peers, args.quick, default_threads)
        return
    if args.hvp_only:
        n, t = hvp_vs_grad(args.compile)
        print("\n".join(hvp_report(t, n)))
        return
    head = ("| problem | n | Lanczos HVPs (certified 1e-6) | Lanczos s | certified rel. width | Lanczos err "
            "| power HVPs (1e-3 rule) | power s | power err | Lanczos HVPs to power's err "
            "| eps = max(1e-6, ref. uncertainty) | Lanczos HVPs to err eps | power HVPs to err eps | reference |")
    print(head)
    print("|" + "---|" * 14)
    lines += [head, "|" + "---|" * 14]

    dln = balanced_dln()
    from warmup_theory.numerics.curvature.dense import dense_norm
    d = dense_norm(dln.dense)
    compare("balanced deep linear (l=4, d=10, MSE)", dln, d["value"], ("dense float64", 1e-13), 2000, lines)

    model, data = mlp_ce([20, 32, 5], 256)
    prob = model_problem(model, CE, data, device="cpu")
    d = dense_norm(prob.dense)
    compare("MLP 20-32-5 tanh, CE, random labels", prob, d["value"], ("dense float64", 1e-13), 2000, lines)

    model, data = mlp_ce([20, 32, 5], 256, clustered=True)
    prob = model_problem(model, CE, data, device="cpu")
    d = dense_norm(prob.dense)
    compare("MLP 20-32-5 tanh, CE, clustered classes", prob, d["value"], ("dense float64", 1e-13), 2000, lines)

    tp = transformer_problem()
    r = lanczos_norm(tp.hvp, tp.n, tol=1e-10, max_hvps=150, v0=None,
                     generator=torch.Generator().manual_seed(7), delta=1e-3)
    compare("TransformerEncoderLayer d=16 (dropout 0) + head, MSE", tp, r["value"],
            (f"Lanczos bracket {(r['upper'] - r['lower']) / r['lower']:.0e}",
             (r["upper"] - r["lower"]) / r["lower"]), 1500, lines)
    print("HVP modes (transformer):", sorted(set(tp.modes)))

    if not args.quick:
        model, data = mlp_ce([784, 1024, 256, 10], 64)
        big = model_problem(model, CE, data, device="cpu")
        compare("MLP 784-1024-256-10 tanh, CE (64 samples)", big, None, None, 60, lines, max_hvps=60)
        n, t = hvp_vs_grad(args.compile)
        rep = hvp_report(t, n)
        lines += [""] + rep
        print("\n".join(rep))
        lines.append("")
        lines.append("| n (MLP 10-h-4, CE) | dense s | Lanczos (1e-6) s |")
        lines.append("|---|---|---|")
        print(lines[-2] + "\n" + lines[-1])
        crossover(lines)


def issue11(engine: bool, tracking: bool, peers: bool, quick: bool, default_threads: int) -> None:
    import curvature_engine as ce
    import curvature_peers as cp

    if engine:
        print(ce.ENGINE_HEAD)
        print("|" + "---|" * 10)
        for threads in sorted({1, default_threads}):
            ce.engine_rows(threads, quick)
    if tracking:
        for reorth in ("full", "none"):
            print("\n".join(ce.tracking(60 if quick else 1000, 10, 3 if quick else 10, reorth=reorth)), flush=True)
    if peers:
        torch.set_num_threads(1)
        print("Peers (one thread, default settings of every tool, all under the math attention kernel; "
              "seconds of a second, warm call):")
        print(cp.HEAD)
        print("|" + "---|" * 6)
        model, data = mlp_ce([20, 32, 5], 256)
        for row in cp.peer_rows("MLP 20-32-5 tanh CE", model, nn.CrossEntropyLoss(), *data[0]):
            print(row, flush=True)
        if not quick:
            g = torch.Generator().manual_seed(0)
            torch.manual_seed(0)
            tf = TinyTransformer().eval()
            X, y = torch.randn(32, 8, 16, generator=g), torch.randn(32, 1, generator=g)
            for row in cp.peer_rows("TransformerEncoderLayer d=16 + head, MSE", tf, nn.MSELoss(), X, y):
                print(row, flush=True)


if __name__ == "__main__":
    main()
