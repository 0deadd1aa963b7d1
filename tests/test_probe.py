"""``probe``: estimators against a dense Hessian, the fit on planted data, divergence, CSV and CLI contract."""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.func import functional_call

from warmup_theory.cli import main
from warmup_theory.numerics.models.lm import ByteLM, LMConfig, lm_loss
from warmup_theory.numerics.probe import PROBE_COLUMNS, ProbeRecord, ProbeResult, probe
from warmup_theory.numerics.probe.result import CSV_LEAD


def _flat_loss(model: torch.nn.Module, batch: tuple[torch.Tensor, torch.Tensor]):  # type: ignore[no-untyped-def]
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for _, p in model.named_parameters()]
    sizes = [p.numel() for _, p in model.named_parameters()]
    m64 = copy.deepcopy(model).double()

    def f(w: torch.Tensor) -> torch.Tensor:
        params = {n: c.reshape(s) for n, c, s in zip(names, torch.split(w, sizes), shapes)}
        return lm_loss(functional_call(m64, params, (batch[0],)), batch[1])

    w = torch.cat([p.detach().double().reshape(-1) for p in model.parameters()])
    return f, w


def test_estimators_agree_with_a_dense_hessian() -> None:
    torch.manual_seed(0)
    model = ByteLM(LMConfig(d_model=8, n_layers=1, n_heads=2, d_ffn=8, vocab=16))  # 728 parameters
    g = torch.Generator().manual_seed(1)
    batches = [(torch.randint(0, 16, (4, 6), generator=g), torch.randint(0, 16, (4, 6), generator=g)) for _ in range(3)]
    probe_batch = (torch.randint(0, 16, (5, 6), generator=g), torch.randint(0, 16, (5, 6), generator=g))
    twin = copy.deepcopy(model)
    res = probe(model, lm_loss, batches, probe_batch, torch.optim.SGD(model.parameters(), lr=1e-3), steps=3,
                every=2, tol=1e-10, progress=False)
    assert [r.step for r in res.records] == [0, 2]
    opt = torch.optim.SGD(twin.parameters(), lr=1e-3)  # the same two updates, replayed
    snapshots = []
    for x, y in batches[:2]:
        snapshots.append(_flat_loss(twin, (x, y)))
        opt.zero_grad()
        lm_loss(twin(x), y).backward()
        opt.step()
    f_p, w2 = _flat_loss(twin, probe_batch)
    H = torch.func.hessian(f_p)(w2)
    assert torch.allclose(H, H.T, atol=1e-10)
    v = torch.randn(w2.numel(), dtype=torch.float64, generator=g)
    eps = 1e-5  # dense Hessian against central differences of the gradient
    fd = (torch.func.grad(f_p)(w2 + eps * v) - torch.func.grad(f_p)(w2 - eps * v)) / (2 * eps)
    assert float(torch.linalg.vector_norm(fd - H @ v)) < 1e-6 * float(torch.linalg.vector_norm(H @ v))
    top = float(torch.linalg.eigvalsh(H).abs().max())
    rec = res.records[1]
    assert rec.lower <= top * (1 + 1e-9) and top <= rec.upper * (1 + 1e-9)
    assert rec.hessian_norm == pytest.approx(top, rel=1e-8)
    w1 = snapshots[1][1]
    d = w2 - w1
    assert rec.directional == pytest.approx(float(d @ H @ d) / float(d @ d), rel=1e-6)
    f_s1, _ = _flat_loss(twin, batches[1])  # S_1 at step 1, S_2 at step 2 (the batch of the recording step)
    f_s2, _ = _flat_loss(twin, batches[2])
    g2 = torch.func.grad(f_s2)(w2)
    same = float(torch.linalg.vector_norm(g2 - torch.func.grad(f_s2)(w1))) / float(torch.linalg.vector_norm(d))
    cons = float(torch.linalg.vector_norm(g2 - torch.func.grad(f_s1)(w1))) / float(torch.linalg.vector_norm(d))
    assert rec.same_batch_secant == pytest.approx(same, rel=1e-6)
    assert rec.consecutive_secant == pytest.approx(cons, rel=1e-6)
    H_s = torch.func.hessian(f_s2)(w2)  # a short step: the same-batch secant is ||H_S d|| / ||d||
    short = float(torch.linalg.vector_norm(H_s @ d) / torch.linalg.vector_norm(d))
    assert rec.same_batch_secant == pytest.approx(short, rel=1e-2)


def _planted(n: int, seed: int, first_off: int = 0) -> ProbeResult:
    rng = np.random.default_rng(seed)
    loss = np.linspace(4.0, 1.0, n)
    hn = 2.0 + 3.0 * loss + 0.05 * rng.standard_normal(n)
    hn[:first_off] = 1.0  # an initial phase off the line
    recs = tuple(ProbeRecord(10 * i, 0.1, float(loss[i]), float(loss[i]), float(hn[i]), float(hn[i]),
                             float(hn[i]) + 0.5,
                             10, True, None if i == 0 else float(2 * hn[i]), None if i == 0 else float(hn[i]),
                             None, 0.0) for i in range(n))
    return ProbeResult(recs, "completed", None, 10 * n, {"model": "planted"})


def test_fit_recovers_a_planted_affine_relation() -> None:
    fit = _planted(60, 0).fit()
    h = fit.fits["hessian_norm"]
    assert h.ls_H0 == pytest.approx(2.0, abs=0.05) and h.ls_H1 == pytest.approx(3.0, abs=0.03)
    assert h.r2 is not None and h.r2 > 0.99 and 0.2 < h.frac_above_ls < 0.8
    loss = np.array(_planted(60, 0).column("probe_loss"))
    upper = np.array(_planted(60, 0).column("upper"))
    assert np.all(h.envelope_H0 + h.envelope_H1 * loss >= upper - 1e-9)  # above every certified upper end
    assert np.any(h.envelope_H0 + h.envelope_H1 * loss < upper + 1e-6)  # and touching one: the tightest
    assert fit.noise_ratio == pytest.approx(2.0) and fit.f_star_run_estimate == pytest.approx(1.0)
    assert h.affine_from_step == 0
    late = _planted(60, 1, first_off=10).fit(window=8).fits["hessian_norm"]
    assert late.affine_from_step is not None and late.affine_from_step >= 30  # first window free of the phase
    assert "grows with the loss" in fit.verdict()


def _tiny_classifier() -> tuple[torch.nn.Module, object, tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(0)
    X, y = torch.randn(128, 4, generator=g), torch.randint(0, 3, (128,), generator=g)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))

    def batches(t: int) -> tuple[torch.Tensor, torch.Tensor]:
        i = (16 * t) % 128
        return X[i:i + 16], y[i:i + 16]
    return model, batches, (X[:32], y[:32])


def test_a_diverging_run_is_reported_and_never_fitted_with_nan() -> None:
    model, batches, pb = _tiny_classifier()
    res = probe(model, _huge_loss, batches, pb,
                torch.optim.SGD(model.parameters(), lr=1e6), steps=60, every=2, progress=False)
    assert res.status == "diverged" and isinstance(res.diverged_step, int) and res.diverged_step < 60
    assert all(r.step < res.diverged_step for r in res.records)
    fit = res.fit() if len(res.records) >= 2 else None
    if fit is not None:
        for f in fit.fits.values():
            assert all(math.isfinite(x) for x in (f.ls_H0, f.ls_H1, f.envelope_H0, f.envelope_H1))


def _huge_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (out ** 4).mean()  # quartic: SGD with a large step blows up


def test_csv_columns_and_header(tmp_path: Path) -> None:
    model, batches, pb = _tiny_classifier()
    res = probe(model, torch.nn.functional.cross_entropy, batches, pb, torch.optim.SGD(model.parameters(), lr=0.5),
                steps=21, every=5, clip=1.0, progress=False, settings={"model": "mlp", "seed": 0})
    res.to_csv(tmp_path / "p.csv")
    lines = (tmp_path / "p.csv").read_text().splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    assert "# mlp: seed=0" in head and any("status=completed" in ln for ln in head)
    rows = list(csv.reader(ln for ln in lines if not ln.startswith("#")))
    assert tuple(rows[0]) == CSV_LEAD + PROBE_COLUMNS
    assert [int(r[1]) for r in rows[1:]] == [0, 5, 10, 15, 20]
    assert rows[1][PROBE_COLUMNS.index("consecutive_secant") + 1] == ""  # first record: no previous step
    assert json.loads(json.dumps(res.to_dict()))["records"][2]["step"] == 10


def test_probe_rejects_bad_arguments() -> None:
    model, batches, pb = _tiny_classifier()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for kw, msg in (({"steps": 0}, "steps must be"), ({"steps": 5, "every": 0}, "every must be"),
                    ({"steps": 5, "clip": -1.0}, "clip must be"), ({"steps": 5, "f_star": math.nan}, "f_star")):
        with pytest.raises(ValueError, match=msg):
            probe(model, torch.nn.functional.cross_entropy, batches, pb, opt, **kw)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ran out at step 2"):
        probe(model, torch.nn.functional.cross_entropy, [batches(0), batches(1)], pb, opt, steps=5, progress=False)


@pytest.mark.parametrize("argv, needle", [
    (["--task", "text"], "--task must be one of"),
    (["--model", "huge"], "model must be one of"),
    (["--task", "digits", "--model", "small"], "model must be one of"),
    (["--sizes", "tiny,huge"], "--sizes must be"),
    (["--sizes", "tiny", "--model", "tiny"], "not both"),
    (["--optimizer", "lion"], "--optimizer must be"),
    (["--lr", "-1"], "--lr must be"),
    (["--lr", "nan"], "--lr must be"),
    (["--steps", "0"], "--steps must be"),
    (["--clip", "-2"], "--clip must be"),
    (["--tol", "2"], "--tol must be"),
    (["--seed", "-1"], "--seed must be"),
    (["--device", "tpu"], "device must be"),
])
def test_cli_bad_arguments_exit_2_with_one_line(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    assert main(["probe", "--out", str(tmp_path), "--quiet", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and needle in err and err.startswith("warmup-theory probe: error:")


def test_cli_lm_run_writes_what_it_promises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["probe", "--task", "lm", "--sizes", "tiny", "--steps", "12", "--every", "4", "--context", "32",
                 "--probe-batch", "2", "--batch", "4", "--out", str(tmp_path), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and "lm/tiny (115,008 params)" in out and "(H0, H1) = (" in out
    assert max(len(ln) for ln in out.splitlines()) <= 120
    doc = json.loads((tmp_path / "fit.json").read_text())
    run = doc["runs"][0]
    assert run["status"] == "completed" and run["records"] == 3 and run["settings"]["seed"] == 0
    assert {"hessian_norm", "consecutive_secant"} <= set(run["fit"]["fits"]) and "verdict" in run["fit"]
    assert "sha256=" in run["settings"]["data"] and "python=" in run["settings"]["data"]
    for name in ("probe.csv", "probe_smoothness.png", "probe_smoothness.svg", "probe_trace.png", "probe_trace.svg"):
        assert (tmp_path / name).stat().st_size > 0


def test_cli_digits_and_divergence_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sklearn")
    assert main(["probe", "--task", "digits", "--steps", "10", "--every", "5", "--probe-batch", "32",
                 "--out", str(tmp_path / "ok"), "--quiet", "--no-plots"]) == 0
    code = main(["probe", "--task", "digits", "--steps", "200", "--every", "5", "--lr", "1e9", "--clip", "0",
                 "--probe-batch", "32", "--out", str(tmp_path / "bad"), "--quiet", "--no-plots"])
    out = capsys.readouterr().out
    doc = json.loads((tmp_path / "bad" / "fit.json").read_text())
    assert code == 1 and "DIVERGED at step" in out
    assert doc["runs"][0]["status"] == "diverged" and "NaN" not in (tmp_path / "bad" / "fit.json").read_text()
