"""The documentation site's examples run as shown, so the pages cannot rot.

* every ```` ```pycon ```` block of a page under ``docs/`` is one part of a doctest for that page (the blocks of a
  page share one namespace, in order), run with ELLIPSIS and NORMALIZE_WHITESPACE;
* every ``$ warmup-theory …`` line of a ```` ```console ```` block is run in-process (``warmup_theory.cli.main``,
  in a fresh temporary folder) and its output compared with the lines under it; only wall-clock timings
  (``12.3 s``) are normalised.  The exit status must be 0, or the one a trailing ``# exit status N`` names;
* the getting-started page shows the README's two set-up commands exactly;
* the build hooks' own examples (``docs/hooks/*.py``) run, and the catalogue lists every printed claim.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib.util
import io
import re
import shlex
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "hooks" not in p.parts)
_TIMING = re.compile(r"\b\d+(?:\.\d+)? s\b")
_EXIT = re.compile(r"\s+# exit status (\d+)$")


def fenced(text: str, lang: str) -> list[str]:
    """The bodies of the ```` ```lang ```` blocks of ``text``, in order."""
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.S | re.M)


def console_examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for every ``$ `` line of the console blocks."""
    out = []
    for body in fenced(text, "console"):
        for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
            cmd, _, shown = chunk.partition("\n")
            out.append((cmd, shown))
    return out


def run_cli(cmd: str) -> tuple[int, str]:
    """Run ``warmup-theory …`` in-process; returns (exit status, stdout + stderr)."""
    from warmup_theory.cli import main

    argv = shlex.split(cmd)
    assert argv[0] == "warmup-theory", f"only warmup-theory commands are run, got {cmd!r}"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            code = main(argv[1:])
        except SystemExit as exc:  # argparse errors exit 2
            code = int(exc.code or 0)
    return code, buf.getvalue()


def _page_id(p: Path) -> str:
    return str(p.relative_to(DOCS))


@pytest.mark.parametrize("page", [p for p in PAGES if fenced(p.read_text(), "pycon")], ids=_page_id)
def test_pycon_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = "\n".join(fenced(page.read_text(), "pycon"))
    test = doctest.DocTestParser().get_doctest(source, {"__name__": "__docs__"}, _page_id(page), str(page), 0)
    assert test.examples, f"{page}: pycon blocks without >>> examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


CONSOLE = [(p, cmd, shown) for p in PAGES for cmd, shown in console_examples(p.read_text())]


@pytest.mark.parametrize(("page", "cmd", "shown"), CONSOLE, ids=[f"{_page_id(p)}: {c[:60]}" for p, c, _ in CONSOLE])
def test_console_examples(page: Path, cmd: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    m = _EXIT.search(cmd)
    want_code = int(m.group(1)) if m else 0
    code, got = run_cli(_EXIT.sub("", cmd))
    assert code == want_code, f"{cmd}: exit status {code}, the page says {want_code}\n{got}"
    assert _TIMING.sub("<t> s", got).rstrip() == _TIMING.sub("<t> s", shown).rstrip(), f"{page}: {cmd}"


def test_every_page_with_examples_is_tested() -> None:
    assert CONSOLE, "no console examples found"
    tested = {p for p in PAGES if fenced(p.read_text(), "pycon")} | {p for p, _, _ in CONSOLE}
    for name in ("howto/certify.md", "howto/compare.md", "howto/classical.md", "howto/sharpness.md",
                 "howto/tracking.md", "getting-started.md"):
        assert DOCS / name in tested, f"docs/{name} has no executed example"
    for p in PAGES:  # a python/pycon block that the test would not run is a mistake on the page
        assert not fenced(p.read_text(), "python"), f"{p}: use ```pycon (>>> with output) so the example runs"


def test_getting_started_shows_the_readme_commands_exactly() -> None:
    readme = (ROOT / "README.md").read_text()
    page = (DOCS / "getting-started.md").read_text()
    setup = r"^    (pip install torch==2\.13\.0 .* && (?:warmup-theory table|python -m pytest -q))$"
    commands = re.findall(setup, readme, flags=re.M)
    assert len(commands) == 2, commands
    shown = [line for body in fenced(page, "bash") for line in body.splitlines()]
    assert shown == commands


def _hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}", DOCS / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["griffe_prose", "claims_catalogue", "package_mirror"])
def test_hook_docstring_examples(name: str) -> None:
    module = _hook(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test)
    assert runner.failures == 0


def test_prose_to_markdown_fences_examples_and_tables() -> None:
    conv = _hook("griffe_prose").prose_to_markdown
    text = "Intro ``x``.\n\n===  ===\na    b\n===  ===\n1    2\n===  ===\n\n  >>> [1, 2]\n  [1, 2]\n\nEnd::"
    got = conv(text).splitlines()
    assert got[0] == "Intro `x`."
    assert got[2:4] == ["```text", "===  ==="] and got[8] == "```"
    assert got[10:14] == ["  ```pycon", "  >>> [1, 2]", "  [1, 2]", "  ```"]
    assert got[-1] == "End:"


def test_package_mirror_lays_out_the_installed_names(tmp_path: Path) -> None:
    pkg = _hook("package_mirror").build_mirror(mirror=tmp_path / "m")
    assert (pkg / "theory" / "bounds" / "__init__.py").resolve() == ROOT / "theory" / "bounds" / "__init__.py"
    assert (pkg / "__init__.py").resolve() == ROOT / "warmup_theory" / "__init__.py"


def test_catalogue_lists_every_printed_claim_with_its_verdict() -> None:
    from warmup_theory.proofs_checks.framework import registry

    page = _hook("claims_catalogue").catalogue_markdown()
    md = _hook("claims_catalogue").md
    printed = [cid for cid, c in registry().items() if c.printed]
    assert printed
    for cid in printed:
        assert f"**{md(cid)}** — verdict **defective**" in page, cid
    assert "aiming_adaptive_iterations(..., printed=True)" in page
    assert "Thm 4.2′" in page
