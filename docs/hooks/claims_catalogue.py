"""MkDocs hook: the printed-vs-corrected catalogue page, generated from the claims registry at build time.

``docs/catalogue.md`` holds the marker ``<!-- claims-catalogue -->``; this hook replaces it with

* every claim registered with ``printed=True`` (a printed form of the paper the toolkit reports as defective),
  its verdict and its witness, and the claim the toolkit uses instead (same id without " (printed)") beside it;
* the printed forms the toolkit checks and finds valid (ids with "printed form", registered ``printed=False``);
* the toolkit's own results that replace a paper result (the primed ids of ``claims.ALIASES``);
* the calculators that keep a printed form reachable (a ``printed`` parameter).

Every claim listed is RUN during the build (about 6 s on 2 cores), so each verdict and witness on the page is
the one ``warmup-theory verify`` computes today.  A listed claim whose verdict is ``failed`` — or a printed
claim that is not ``defective`` — logs a warning, which fails ``mkdocs build --strict``.
"""

from __future__ import annotations

import inspect
import logging
import re
import time
from typing import Any

MARKER = "<!-- claims-catalogue -->"
log = logging.getLogger("mkdocs.plugins.claims_catalogue")


def md(text: str) -> str:
    r"""``text`` with Markdown's inline metacharacters escaped (statements are prose, not Markdown).

    >>> md("a_b * [c] <d>")
    'a\\_b \\* \\[c\\] &lt;d&gt;'
    """
    text = re.sub(r"([\\`*_\[\]#|])", r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _witness_lines(witness: dict[str, Any] | None) -> list[str]:
    """The witness's description and its short scalar entries (matrices and long lists left to ``--json``)."""
    if not witness:
        return []
    out = [f"    - witness: {md(str(witness.get('description', '')))}"]
    shown = [f"{k} = {v}" for k, v in witness.items()
             if k != "description" and isinstance(v, (int, float, str)) and len(str(v)) <= 40]
    if shown:
        out.append(f"    - witness data: `{'; '.join(shown[:10])}`")
    return out


def _entry(result: Any) -> list[str]:
    return [f"- **{md(result.id)}** — verdict **{result.verdict}** ({result.seconds:.2f} s, {result.method})",
            f"    - statement: {md(result.statement)}"]


def printed_calculators() -> list[str]:
    """Public calculators of ``theory.bounds`` / ``theory.architectures`` with a ``printed`` parameter."""
    import warmup_theory.theory.architectures as arch
    import warmup_theory.theory.bounds as bounds

    names = []
    for mod in (bounds, arch):
        for name in getattr(mod, "__all__", ()):
            fn = getattr(mod, name, None)
            if callable(fn) and "printed" in inspect.signature(fn).parameters:
                names.append(f"{mod.__name__}.{name}")
    return sorted(names)


def catalogue_markdown() -> str:
    """Run the claims the catalogue lists and return the page's generated Markdown."""
    from warmup_theory.proofs_checks.claims import ALIASES
    from warmup_theory.proofs_checks.framework import registry, run_claim

    reg = registry()
    results: dict[str, Any] = {}

    def run(cid: str) -> Any:
        if cid not in results:
            res = results[cid] = run_claim(reg[cid])
            if res.verdict == "failed" or (reg[cid].printed and res.verdict != "defective"):
                log.warning("claim %r: verdict %s in the catalogue", cid, res.verdict)
        return results[cid]

    t_start = time.perf_counter()
    lines = ["## Printed forms that are wrong, with their witnesses", ""]
    for cid, c in reg.items():
        if not c.printed:
            continue
        lines += _entry(run(cid)) + _witness_lines(run(cid).witness)
        base = re.sub(r" \(printed(, search)?\)$", "", cid)
        base = ALIASES.get(base, base)
        fix = base + (" (search)" if cid.endswith("(printed, search)") else "")
        if fix in reg and not reg[fix].printed:
            res = run(fix)
            lines.append(f"    - the toolkit uses instead: **{md(fix)}** — verdict **{res.verdict}**: "
                         f"{md(res.statement)}")
        lines.append("")
    lines += ["## Printed forms checked and found valid", ""]
    for cid, c in reg.items():
        if "printed form" in cid and not c.printed:
            lines += _entry(run(cid))
            base = ALIASES.get(cid.split(" printed form")[0], cid.split(" printed form")[0])
            if base in reg:
                res = run(base)
                lines.append(f"    - beside it, the toolkit's: **{md(base)}** — verdict **{res.verdict}**: "
                             f"{md(res.statement)}")
            lines.append("")
    lines += ["## The toolkit's own results that replace a paper result (primed ids)", "",
              "The paper's statement or constants are unknown or only an O(·) there, so the toolkit proves its",
              "own; the primed id says so, and the paper's id still finds it (`verify --only`, `registry()[id]`).",
              ""]
    for old, new in ALIASES.items():
        if "′ (toolkit" in new and new in reg:
            res = run(new)
            lines += [f"- paper id **{md(old)}** → toolkit id **{md(new)}** — verdict **{res.verdict}** "
                      f"({res.seconds:.2f} s, {res.method})", f"    - statement: {md(res.statement)}", ""]
    lines += ["## Calculators that keep the printed form reachable", "",
              "Each defaults to the corrected statement; `printed=True` gives the paper's form:", ""]
    lines += [f"- `{name}(..., printed=True)`" for name in printed_calculators()]
    lines += ["", f"*Generated by `docs/hooks/claims_catalogue.py` at build time: {len(results)} claims run in "
              f"{time.perf_counter() - t_start:.1f} s.*", ""]
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """MkDocs event: fill the catalogue page's marker."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, catalogue_markdown())
