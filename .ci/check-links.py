#!/usr/bin/env python3
"""Check the relative links of the repository's Markdown files (standard library only).

    python3 .ci/check-links.py [ROOT]

Reads every *.md file under ROOT (default: the repository this script lives in), skipping
build output (target/), node_modules/ and hidden directories, and checks each link and image:

- a relative link must name a file or directory that exists inside ROOT; one that leaves it
  (`../elsewhere/NOTES.md`) fails, because a clone of the repository does not have it;
- a `#anchor` (alone, or after a link to a Markdown file) must match a heading of that file,
  slugged as GitHub does (lower case, punctuation dropped, spaces to hyphens, `-1`, `-2`, ...
  for repeats), or an explicit `<a id="...">` / `<a name="...">`;
- http(s), mailto and other URLs with a scheme are not fetched.

Links inside fenced code blocks and inline code are not links and are ignored. Prints one line
per broken link (`file:line: link: why`) and exits 1 if there is any, else 0.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

SKIP_DIRS = {"target", "node_modules"}

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
# [text](destination "optional title") and ![alt](destination); the destination may be
# <bracketed> or hold one level of balanced parentheses.
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
HTML_ANCHOR = re.compile(r"<a\s+[^>]*\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def markdown_files(root: Path) -> list[Path]:
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        found.extend(Path(directory) / f for f in sorted(files) if f.lower().endswith(".md"))
    return found


def prose_lines(text: str):
    """(line number, line) of the lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        m = FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
                continue
            yield number, line
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
            fence = None


def heading_text(markdown: str) -> str:
    """A heading's text as GitHub renders it: code, links, emphasis and HTML tags reduced to text."""
    text = INLINE_CODE.sub(lambda m: m.group(2).strip(), markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*+|_{2,})(.+?)\1", r"\2", text)
    return text


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case; letters, marks, numbers, `_`, `-` and spaces kept; spaces to `-`."""
    kept = []
    for ch in text.strip().lower():
        category = unicodedata.category(ch)
        if ch in " -_" or category[0] in "LMN":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        result, seen = set(), {}
        previous = None
        for _, line in prose_lines(path.read_text(encoding="utf-8")):
            for name in HTML_ANCHOR.findall(line):
                result.add(name)
            m = HEADING.match(line)
            title = None
            if m:
                title = m.group(2)
            elif previous and previous.strip() and SETEXT_UNDERLINE.match(line) and not HEADING.match(previous):
                title = previous.strip()
            if title is not None:
                base = slug(heading_text(title))
                count = seen.get(base, 0)
                seen[base] = count + 1
                result.add(base if count == 0 else f"{base}-{count}")
            previous = line
        cache[path] = result
    return cache[path]


def links(line: str):
    """The link destinations on one line of prose, inline code removed."""
    line = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
    for m in INLINE_LINK.finditer(line):
        yield m.group(1)
    m = REFERENCE_DEFINITION.match(line)
    if m:
        yield m.group(1)


def check(root: Path) -> tuple[list[str], int]:
    root = root.resolve()
    cache: dict = {}
    problems = []
    files = markdown_files(root)
    for source in files:
        shown = source.relative_to(root).as_posix()
        for number, line in prose_lines(source.read_text(encoding="utf-8")):
            for destination in links(line):
                why = broken(root, source, destination, cache)
                if why:
                    problems.append(f"{shown}:{number}: {destination}: {why}")
    return problems, len(files)


def broken(root: Path, source: Path, destination: str, cache: dict) -> str | None:
    target = destination[1:-1] if destination.startswith("<") else destination
    if not target:
        return "empty link"
    if SCHEME.match(target) or target.startswith("//"):
        return None  # http(s), mailto, ...: not fetched
    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    if path_part:
        base = root if path_part.startswith("/") else source.parent
        resolved = (base / path_part.lstrip("/")).resolve()
        if resolved != root and root not in resolved.parents:
            return "points outside the repository"
        if not resolved.exists():
            return "no such file in the repository"
    else:
        resolved = source
    if fragment:
        if resolved.is_dir():
            return "an anchor on a directory"
        if resolved.suffix.lower() == ".md" and unquote(fragment) not in anchors(resolved, cache):
            return f"no heading with anchor #{fragment} in {resolved.relative_to(root).as_posix()}"
    return None


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    root = Path(argv[1]) if len(argv) == 2 else Path(__file__).resolve().parent.parent
    problems, count = check(root)
    for problem in problems:
        print(problem)
    print(f"{count} Markdown files, {len(problems)} broken links", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
