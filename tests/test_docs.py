"""The docs point at things that exist: relative links (and their anchors) in README.md and
docs/*.md resolve, every `kreiss.*` name and module path (`*.py`) they mention exists, every
name listed in docs/api.md imports, and docs/api.md lists every name of the packages'
__all__."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
API = ROOT / "docs" / "api.md"
PACKAGES = ("kreiss", "kreiss.linalg", "kreiss.theory", "kreiss.coupled")

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"^kreiss(?:\.[A-Za-z_]\w*)+")


def _ids(pages):
    return [p.relative_to(ROOT).as_posix() for p in pages]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", page.read_text(), re.M)}


def resolve(dotted: str):
    """The object a dotted name refers to: the longest importable module prefix, then
    attributes (raises ImportError / AttributeError when it does not exist)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError as exc:
            if exc.name is not None and not ".".join(parts[:i]).startswith(exc.name):
                raise  # a dependency is missing, not the name
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def api_names() -> list[str]:
    """The names in the first column of docs/api.md's tables."""
    return re.findall(r"^\| `(kreiss[\w.]*)` \|", API.read_text(), re.M)


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_relative_links_resolve(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(target + " (no such heading)")
    assert not broken, f"{page.name}: broken links {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_mentioned_modules_and_files_exist(page):
    missing = []
    files = {p.name for d in ("src", "benchmarks", "examples", "tests") for p in
             (ROOT / d).rglob("*") if p.is_file()}
    for code in CODE.findall(page.read_text()):
        m = DOTTED.match(code)
        if m:
            try:
                resolve(m.group(0))
            except (ImportError, AttributeError):
                missing.append(m.group(0))
        for token in code.split():
            if not re.fullmatch(r"[\w./-]+\.py", token):
                continue
            if "/" in token:
                if not any((base / token).exists() for base in
                           (ROOT, ROOT / "src" / "kreiss", page.parent)):
                    missing.append(token)
            elif token not in files and not (page.parent / token).exists():
                missing.append(token)
    assert not missing, f"{page.name} mentions what does not exist: {missing}"


@pytest.mark.parametrize("name", api_names())
def test_api_names_import(name):
    resolve(name)


@pytest.mark.parametrize("package", PACKAGES)
def test_api_lists_every_public_name(package):
    listed = set(api_names())
    module = importlib.import_module(package)
    absent = [f"{package}.{n}" for n in module.__all__
              if not n.startswith("__") and f"{package}.{n}" not in listed]
    assert not absent, f"docs/api.md does not list {absent}: add one line each"
