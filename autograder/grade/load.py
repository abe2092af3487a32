"""Find submissions (.ipynb, grader.export() zips, folders) and turn each into cells to run."""

import hashlib
import io
import json
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK = 50 * 2**20
IGNORE_TAG = "otter_ignore"


class InvalidSubmission(Exception):
    """A file that is not a gradable notebook (not JSON, empty, corrupt zip...)."""


@dataclass(frozen=True)
class Submission:
    """One student's file and the identity it is graded under (a row of scores.csv)."""

    name: str  # the identity: the file stem, or the folder's name (see ``identity``)
    path: Path
    digest: str  # SHA-256 of the file ("" if it cannot be read: grading reports why)


@dataclass
class Notebook:
    """What the sandbox runs: code cells after Otter's filtering and IPython's transforms."""

    filename: str
    cells: list[str]
    assignment_name: str | None = None
    metadata: dict = field(default_factory=dict)


SUFFIXES = (".ipynb", ".zip")


def count_files(paths: list[Path], most: int) -> int:
    """How many .ipynb and .zip files ``paths`` hold, counting no further than ``most``: a
    quick look, before ``discover``, at how many zygotes are worth starting."""
    found = 0
    try:
        for p in map(Path, paths):
            for f in p.rglob("*") if p.is_dir() else [p]:
                found += f.suffix.lower() in SUFFIXES
                if found >= most:
                    return most
    except OSError:  # ``discover`` will say what is wrong with the folder
        pass
    return found


def discover(
    paths: list[Path], assignment: str | None = None, warn: Callable[[str], None] | None = None
) -> list[Submission]:
    """Every .ipynb and .zip under ``paths`` (hidden folders skipped), sorted by identity.

    Identities are unique: two files that resolve to the same identity are both kept, each
    named ``<identity>~<hex of its path>``, and ``warn`` is told.
    """
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += [
                f
                for f in p.rglob("*")
                if f.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.is_file()
            ]
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    files = sorted({f.resolve() for f in files})
    by_identity: dict[str, list[Path]] = defaultdict(list)
    for f in files:
        by_identity[identity(f, assignment)].append(f)
    names = {f: ident for ident, group in by_identity.items() if len(group) == 1 for f in group}
    taken = set(names.values())
    for ident, group in sorted(by_identity.items()):
        if len(group) == 1:
            continue
        for f in group:
            # A hash of the path, lengthened until no other identity (however crafted) has it.
            key = hashlib.sha256(os.fsencode(f)).hexdigest()
            n = 8
            while f"{ident}~{key[:n]}" in taken or f"{ident}~{key[:n]}" in by_identity:
                n += 8
            names[f] = f"{ident}~{key[:n]}"
            taken.add(names[f])
        if warn:
            shown = ", ".join(repr(str(f)) for f in group)
            warn(f"{len(group)} files have the identity {ident!r}, kept apart as: {shown}")
    return sorted(
        (Submission(name=names[f], path=f, digest=_digest_or_empty(f)) for f in files),
        key=lambda s: s.name,
    )


def identity(path: Path, assignment: str | None = None) -> str:
    """Who a file belongs to: its stem, or its folder's name when the stem is the assignment's
    own name (one folder per student, as LMS exports arrive). Always valid UTF-8 text."""
    stem = path.stem
    if assignment and stem == assignment and path.parent.name:
        stem = path.parent.name
    return os.fsencode(stem).decode("utf-8", "replace")


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _digest_or_empty(path: Path) -> str:
    try:
        return file_digest(path)
    except OSError:
        return ""


def notebook_bytes(path: Path, data: bytes | None = None) -> tuple[str, bytes]:
    """The notebook's file name and bytes, from an .ipynb or from an export zip."""
    if data is None:
        if os.path.getsize(path) > MAX_NOTEBOOK:
            raise InvalidSubmission("file is larger than 50 MB")
        data = Path(path).read_bytes()
    if len(data) > MAX_NOTEBOOK:
        raise InvalidSubmission("file is larger than 50 MB")
    if Path(path).suffix.lower() != ".zip":
        return Path(path).name, data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            nbs = [
                i
                for i in z.infolist()
                if i.filename.endswith(".ipynb")
                and "/" not in i.filename.strip("/")
                and not i.is_dir()
            ]
            if len(nbs) != 1:
                raise InvalidSubmission(
                    f"the zip holds {len(nbs)} notebooks at its top level, not 1"
                )
            if nbs[0].file_size > MAX_NOTEBOOK:
                raise InvalidSubmission("the notebook in the zip is larger than 50 MB")
            with z.open(nbs[0]) as f:
                raw = f.read(MAX_NOTEBOOK + 1)  # the size in the zip's directory may lie
            if len(raw) > MAX_NOTEBOOK:
                raise InvalidSubmission("the notebook in the zip is larger than 50 MB")
            return nbs[0].filename, raw
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as e:
        raise InvalidSubmission(f"not a readable zip: {e}") from None


def read_notebook(
    path: Path, data: bytes | None = None, seed: int | None = None, seed_variable: str | None = None
) -> Notebook:
    """Parse a submission into its code cells; raises InvalidSubmission for anything not a
    notebook. Linear in the file's size: the cells' IPython syntax is rewritten in the sandbox
    (``transform``, called by the child), not here."""
    import nbformat

    filename, raw = notebook_bytes(path, data)
    if not raw.strip():
        raise InvalidSubmission("the file is empty")
    try:
        nb = json.loads(raw.decode("utf-8"))
        if not isinstance(nb, dict) or "cells" not in nb or nb.get("nbformat") != 4:
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)  # older formats, or not one
    except Exception as e:  # json and nbformat raise many types for non-notebooks
        raise InvalidSubmission(f"not a notebook: {type(e).__name__}: {str(e)[:200]}") from None
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise InvalidSubmission("not a notebook: no list of cells")
    sources = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata") or {}
        tags = meta.get("tags") or []
        otter = meta.get("otter") if isinstance(meta.get("otter"), dict) else {}
        if (isinstance(tags, list) and IGNORE_TAG in tags) or otter.get("ignore", False):
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        if seed is not None and seed_variable and not src.startswith("%%"):
            src = f"{seed_variable} = {int(seed)}\n{src}"  # Otter's seed_variable
        elif seed is not None and not src.startswith("%%"):
            src = (
                f"import numpy as np_seed_\nimport random as random_seed_\n"
                f"np_seed_.random.seed({seed})\nrandom_seed_.seed({seed})\n{src}"
            )
        sources.append(src)
    meta = nb.get("metadata") or {}
    otter = meta.get("otter") if isinstance(meta.get("otter"), dict) else {}
    return Notebook(filename=filename, cells=sources, assignment_name=otter.get("assignment_name"))


_manager = None


# Blanks, not \s: \s also matches newlines, and a run of blank lines made this quadratic.
_IPYTHON_SYNTAX = re.compile(r"(^|=)[ \t]*[%!]|\?[ \t]*$", re.MULTILINE)


def has_ipython_syntax(src: str) -> bool:
    """Whether ``src`` may hold IPython syntax (linear: one regex pass without backtracking)."""
    return _IPYTHON_SYNTAX.search(src) is not None


def transform(src: str) -> str:
    """IPython syntax (magics, ``!`` lines, ``?`` help) as plain Python calling get_ipython().

    IPython's rewriter can be slow on hostile input (a thousand ``?`` lines: 20 s), so only
    the sandboxed child calls this on a submission's cells, under the submission's deadline.
    """
    global _manager
    if not has_ipython_syntax(src):
        return src
    if _manager is None:
        from IPython.core.inputtransformer2 import TransformerManager

        _manager = TransformerManager()
    try:
        return _manager.transform_cell(src)
    except Exception:
        return src  # compile() in the sandbox reports the syntax error, as the kernel would


def preimports(notebook_path: Path) -> list[str]:
    """Modules the assignment's notebook imports at top level, to import once in the zygote."""
    import ast

    mods = ["numpy", "matplotlib", "matplotlib.pyplot", "IPython.display"]
    try:
        nb = json.loads(Path(notebook_path).read_text())
    except (OSError, ValueError):
        return mods
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(transform("".join(cell.get("source", ""))))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                mods += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                mods.append(node.module)
    return [m for m in dict.fromkeys(mods) if m.split(".")[0] != "otter"]
