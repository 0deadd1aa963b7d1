r"""Griffe extension: read the toolkit's prose docstrings (reST-flavoured, with ``>>>`` examples) as Markdown.

The docstrings are free prose, neither numpy nor Google style (mkdocstrings runs with ``docstring_style:
null``), written with reST habits.  Rendered as plain Markdown, a doctest's output line such as
``['hard', 'cosh', 'quadratic']`` reads as a reference link, and a simple reST table as a paragraph.  This
extension rewrites each docstring's text, and nothing else, before mkdocstrings renders it:

* a run of ``>>>`` / ``...`` lines and their output (up to a blank line) becomes a fenced ``pycon`` block;
* a simple reST table (three ``====  ====`` rule lines) becomes a fenced ``text`` block;
* ````code```` becomes `` `code` ``; ``:class:`~a.b.C``` becomes `` `C` `` (``:func:``, ``:mod:``,
  ``:meth:``, ``:attr:``, ``:data:``, ``:exc:`` likewise, the full path without ``~``);
* a paragraph ending in ``::`` ends in ``:`` (the indented block after it is a Markdown code block already).

The source files are never modified.

>>> prose_to_markdown("See :func:`~a.b.f` and ``x``::\n\n>>> 1 + 1\n2").splitlines()
['See `f` and `x`:', '', '```pycon', '>>> 1 + 1', '2', '```']
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|mod|meth|attr|data|exc|obj):`(~?)([^`]+)`")
_LITERAL = re.compile(r"``([^`]+?)``")
_RULE = re.compile(r"^\s*=+(\s+=+)+\s*$")
_PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.)( |$)")


def _role(m: re.Match[str]) -> str:
    tilde, target = m.group(1), m.group(2)
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def _inline(line: str) -> str:
    line = _ROLE.sub(_role, line)
    line = _LITERAL.sub(r"`\1`", line)
    if line.rstrip().endswith("::") and not line.strip() == "::":
        line = line.rstrip()[:-1]
    return line


def prose_to_markdown(text: str) -> str:
    """The Markdown form of one docstring (see the module docstring for the rules)."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        prompt = _PROMPT.match(line)
        if prompt and prompt.group(2) == ">>>":
            indent = prompt.group(1)
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += [f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"]
            continue
        if _RULE.match(line):
            block, rules = [], 0
            while i < len(lines) and rules < 3:
                rules += bool(_RULE.match(lines[i]))
                block.append(lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += ["```text", *block, "```"]
            continue
        out.append(_inline(line))
        i += 1
    return "\n".join(out)


class ProseToMarkdown(griffe.Extension):
    """Rewrites every loaded object's docstring with :func:`prose_to_markdown`."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        """Griffe event, once per object (module, class, function, attribute) as it is loaded."""
        if obj.docstring is not None:
            obj.docstring.value = prose_to_markdown(obj.docstring.value)
