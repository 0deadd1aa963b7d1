"""benchmarks/gpu.py --quick runs on a CPU (so the prepared GPU script cannot rot), and its rows are sane."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import torch

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gpu_benchmark_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_gpu_script_quick_on_cpu(capsys: pytest.CaptureFixture[str]) -> None:
    before = torch.get_num_threads()
    assert _script().main(["--quick", "--device", "cpu"]) == 0
    assert torch.get_num_threads() == before
    out = capsys.readouterr().out
    rows = [r for r in out.splitlines() if r.startswith("| ") and "[--quick sizes]" in r]
    assert len(rows) == 10, out  # five cases, reorth "full" then "none"
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
    assert [c[2] for c in cells[::2]] == ["float64", "float64", "float32", "float32", "bfloat16"]
    assert [c[4] for c in cells] == ["full", "none"] * 5
    for c in cells:
        hvps, wall, width = int(c[5]), float(c[6]), float(c[8])
        assert hvps >= 2 and wall > 0 and width >= 0
    assert cells[0][10] == cells[1][10] == "True"  # the float64 837-parameter MLP reaches its 1e-6 bracket, both ways
    assert "failed" not in out and out.splitlines()[-1].startswith("total")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")
def test_gpu_script_refuses_missing_cuda(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script().main(["--quick", "--device", "cuda"]) == 2
    assert "CUDA is not available" in capsys.readouterr().err
