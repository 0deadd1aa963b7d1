"""`warmup-theory regime`: the grid it prints agrees with warmup_theory.theory.regime.regime_map, errors exit 2."""

import contextlib
import io

from warmup_theory.cli import main
from warmup_theory.theory.bounds import aiming_adaptive_iterations, aiming_fixed_lower_iterations


def _run(args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["regime", *args])
    return rc, buf.getvalue()


def test_aiming_grid_and_plot(tmp_path):
    out = tmp_path / "map.png"
    rc, text = _run(["--gap0", "1:1e4:3", "--eps", "1e-3:1e-3:1", "--out", str(out)])
    assert rc == 0 and out.stat().st_size > 1000
    marks = [line.split()[-1] for line in text.splitlines() if line.strip()[:1].isdigit()]
    # independent route: compare the two calculators directly at each grid point
    expected = ["W" if aiming_adaptive_iterations(1.0, 1.0, 1.0, 1.0, 1e-3, gap0=g)
                < aiming_fixed_lower_iterations(1.0, 1.0, 1.0, g, 1.0, 1e-3) else "." for g in (1.0, 100.0, 1e4)]
    assert marks == expected and "W" in marks and "." in marks


def test_errors_exit_2(tmp_path, capsys):
    assert main(["regime", "--kind", "pl", "--out", str(tmp_path / "x.png")]) == 2
    assert "--mu is required" in capsys.readouterr().err
    assert main(["regime", "--gap0", "0:1:3", "--out", str(tmp_path / "x.png")]) == 2
    assert main(["regime", "--eps", "1e-3", "--out", str(tmp_path / "x.png")]) == 2
