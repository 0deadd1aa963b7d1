"""The README's "use it in your training loop" example runs as printed (its output lines have the documented form)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _block(marker: str) -> tuple[str, str]:
    text = README.read_text()
    start = text.index(marker)
    code = re.search(r"```python\n(.*?)```", text[start:], re.S)
    assert code is not None, f"no python block after {marker}"
    shown = re.search(r"```text\n(.*?)```", text[start + code.end():], re.S)
    assert shown is not None, f"no output block after the example at {marker}"
    return code.group(1), shown.group(1)


def test_training_loop_example_runs_and_prints_what_the_readme_shows() -> None:
    code, shown = _block("<!-- example: training-loop -->")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    got = buf.getvalue().splitlines()
    want = shown.strip().splitlines()
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):  # same steps, same shape; the digits may differ across CPUs
        assert g.split(":")[0] == w.split(":")[0]
        assert re.fullmatch(r"step +\d+: loss \d+\.\d{3}, next lr \d\.\d\de[-+]\d\d", g)
