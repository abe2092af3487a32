"""Similar-submission hints: winnowed fingerprints (copydetect) of graded functions.

Names, whitespace, comments and string contents are normalised away by copydetect's tokenizer
(pygments), so renaming variables or adding comments does not hide a copy. Code that everyone
starts from or converges to (the template's stubs, the reference solution, fingerprints that
most of the class shares) is boilerplate and never counts. A hint for a human, never a score.
"""

import ast
import dataclasses
import hashlib
import html
import importlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np

from . import load

NOISE = 25  # shortest match (characters of normalised code) worth reporting: copydetect's default
WINDOW = 4  # winnowing window: any match of NOISE + WINDOW - 1 characters is always found
MIN_CODE = 60  # normalised characters of own code below which a submission is not compared
MAX_CELL = 200_000  # a cell larger than this is not parsed (a hostile notebook stays cheap)
MAX_CODE = 50_000
IN_BACKGROUND = 40  # submissions from which the comparison gets a process of its own
MAX_ALIGNED = 400  # pairs aligned at most (the report shows the first 50)


@dataclass(frozen=True)
class Match:
    """Two submissions whose graded functions overlap; shares are of each one's own code."""

    a: str
    b: str
    share_a: float
    share_b: float
    code_a: str  # HTML: escaped source with the matching parts in <mark>
    code_b: str

    @property
    def similarity(self) -> float:
        return max(self.share_a, self.share_b)


def graded_code(path: Path, functions: Sequence[str] = ()) -> str:
    """The source of a submission's graded functions (its last definition of each), or of all
    its top-level functions when ``functions`` is empty; "" when the file cannot be read."""
    try:
        _, raw = load.notebook_bytes(Path(path))
        nb = json.loads(raw.decode("utf-8", "replace"))
        cells = nb.get("cells") if isinstance(nb, dict) else None
    except (load.InvalidSubmission, OSError, ValueError):
        return ""
    found: dict[str, str] = {}
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(s for s in src if isinstance(s, str)) if isinstance(src, list) else src
        if not isinstance(src, str) or len(src) > MAX_CELL or "def" not in src:
            continue
        if functions and not any(f in src for f in functions):
            continue  # parsing is the cost: only cells that may define a graded function
        for name, code in _definitions(src):
            if not functions or name in functions:
                found[name] = code
    order = list(functions) or list(found)
    return "\n\n".join(found[f] for f in order if f in found)[:MAX_CODE]


def _definitions(src: str) -> Iterable[tuple[str, str]]:
    """Top-level functions of a cell, without their docstrings (the template gives those)."""
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # magics, unfinished code, or a parser bomb: nothing to compare
    lines = src.splitlines()
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = lines[node.lineno - 1 : node.end_lineno]
        first = node.body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
            and first.lineno > node.lineno
        ):
            del body[first.lineno - node.lineno : first.end_lineno - node.lineno + 1]
        found.append((node.name, "\n".join(body)))
    return found


def _functions(text: str) -> str:
    return "\n\n".join(code for _, code in _definitions(text))


def _utils():
    """copydetect's tokenizer, winnowing and overlap functions (``copydetect.utils``), without
    its package ``__init__``: that imports its report writer and with it matplotlib.pyplot, a
    third of a second the grader does not need (``imports.lazy_package``)."""
    from autograder.imports import lazy_package

    lazy_package("copydetect")
    # Not ``from copydetect import utils``: asking the package for the name runs its __init__.
    return importlib.import_module("copydetect.utils")


@dataclass
class Print:
    """One code's winnowed fingerprints, as copydetect computes them: the normalised text, the
    offsets back into the source, each kept hash with where it occurs, the characters covered."""

    raw_code: str
    filtered_code: str
    offsets: object  # numpy array of (index in filtered text, characters removed before it)
    hash_idx: dict
    hashes: set = field(default_factory=set)
    token_coverage: int = 0

    def cover(self) -> "Print":
        self.hashes = set(self.hash_idx)
        self.token_coverage = int(
            _utils().get_token_coverage(self.hash_idx, NOISE, len(self.filtered_code))
        )
        return self


def _fingerprint(code: str) -> Print:
    u = _utils()
    filtered, offsets = u.filter_code(code, "code.py", "python")
    _, idx = u.get_document_fingerprints(filtered, NOISE, WINDOW)
    return Print(code, filtered, offsets, idx).cover()


def _without(fp: Print, hashes: set) -> Print:
    """Drop fingerprints (copydetect's own boilerplate filter assumes unique hashes, which
    winnowing without deduplication does not give, and keeps some)."""
    fp.hash_idx = {h: i for h, i in fp.hash_idx.items() if h not in hashes}
    return fp.cover()


def _compare(a: Print, b: Print):
    """The shares of each code found in the other, and where (slices of the source)."""
    u = _utils()
    idx_a, idx_b = u.find_fingerprint_overlap(a.hashes, b.hashes, a.hash_idx, b.hash_idx)
    slices = [u.get_copied_slices(idx_a, NOISE), u.get_copied_slices(idx_b, NOISE)]
    if len(slices[0][0]) == 0:
        return (0.0, 0.0), ([], [])
    shares = []
    for fp, sl in zip((a, b), slices):
        shares.append(
            float((sl[1] - sl[0]).sum()) / fp.token_coverage if fp.token_coverage else 0.0
        )
        if len(fp.offsets):  # back from the normalised text to the source: add what was removed
            at = np.clip(np.searchsorted(fp.offsets[:, 0], sl), 0, len(fp.offsets) - 1)
            sl += fp.offsets[:, 1][at]
    return tuple(shares), tuple(slices)


def similar_pairs(
    codes: dict[str, str], boilerplate: Sequence[str] = (), threshold: float = 0.8
) -> list[Match]:
    """Pairs whose shared code is at least ``threshold`` of either one's own code, most similar
    first. ``boilerplate``: source texts whose fingerprints are ignored."""
    if sum(1 for c in codes.values() if c) < 2:
        return []  # no pair to compare (and copydetect is not even imported)
    ignored = boilerplate_hashes(boilerplate)
    # Lexing is the slow part: once per distinct text (reference copies are common).
    lexed = {c: _without(_fingerprint(c), ignored) for c in set(codes.values()) - {""}}
    # What most of the class shares (a given helper, an idiom) is no evidence of copying.
    counts = Counter(h for n, c in codes.items() if c for h in lexed[c].hashes)
    common = {h for h, k in counts.items() if k > max(4, len(codes) // 2)}
    for fp in lexed.values():
        _without(fp, common)
    prints = {n: lexed[c] for n, c in codes.items() if c and lexed[c].token_coverage >= MIN_CODE}
    # Count shared fingerprints through an index (cheap), then align only the most promising
    # pairs (copydetect's compare_files, about a millisecond each): the cost stays bounded
    # even when a large part of the class hands in the same code.
    holders: dict[int, list[str]] = {}
    for n, fp in prints.items():
        for h in fp.hashes:
            holders.setdefault(h, []).append(n)
    shared: Counter = Counter()
    for names in holders.values():
        shared.update(combinations(sorted(names), 2))
    ratio = {
        pair: k / min(len(prints[pair[0]].hashes), len(prints[pair[1]].hashes))
        for pair, k in shared.items()
    }
    candidates = sorted((p for p in ratio if ratio[p] >= threshold / 2), key=lambda p: -ratio[p])
    matches = []
    for a, b in candidates[:MAX_ALIGNED]:
        (share_a, share_b), (slices_a, slices_b) = _compare(prints[a], prints[b])
        if max(share_a, share_b) < threshold:
            continue
        matches.append(
            Match(
                a,
                b,
                float(share_a),
                float(share_b),
                _highlight(prints[a].raw_code, slices_a),
                _highlight(prints[b].raw_code, slices_b),
            )
        )
    return sorted(matches, key=lambda m: (-m.similarity, m.a, m.b))


def boilerplate_hashes(boilerplate: Sequence[str]) -> set[int]:
    """Every k-gram of the boilerplate, not only its winnowed ones (winnowing picks by context).
    Lexing the template and the solution is the costly part of a small class's comparison
    and they change only with the course, so their normalised text is kept on disk by
    content (not the hashes: Python's string hashes differ from one process to the next)."""
    from importlib.metadata import version

    from autograder import cache

    key = json.dumps([version("copydetect"), list(boilerplate)])
    path = cache.folder("similarity") / f"{hashlib.sha256(key.encode()).hexdigest()}.json"
    try:
        filtered = json.loads(path.read_text())
        if not (isinstance(filtered, list) and all(type(t) is str for t in filtered)):
            raise ValueError("not a list of texts")
    except (OSError, ValueError):
        texts = [*boilerplate, *map(_functions, boilerplate)]
        filtered = [_fingerprint(text).filtered_code for text in texts]
        cache.put(path, json.dumps(filtered).encode())
    ignored: set[int] = set()
    for text in filtered:
        ignored |= set(_utils().hashed_kgrams(text, NOISE).tolist())
    return ignored


def compare_in_background(
    sources: dict[str, str], functions: Sequence[str], boilerplate: Sequence[str], threshold: float
):
    """Read the graded code of ``sources`` (identity -> notebook path) and compare it, in a
    process forked for it; returns a function that waits for the pairs. The report draws its
    figures meanwhile: at the end of a batch the judges are done and a processor is free.
    Where fork is missing or that process fails, the comparison runs here, when asked for."""

    found: list[list[Match]] = []

    def here() -> list[Match]:  # asked again to reap (write_report): compared once
        if not found:
            codes = {n: graded_code(Path(p), functions) for n, p in sources.items()}
            found.append(similar_pairs(codes, boilerplate, threshold))
        return found[0]

    if len(sources) < IN_BACKGROUND or not hasattr(os, "fork"):
        return here  # a small class compares in a few milliseconds: not worth a process
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked side; its output is what the tests check
        os.close(r)
        try:
            data = json.dumps([dataclasses.astuple(m) for m in here()]).encode()
        except BaseException:  # noqa: BLE001 - the parent compares again and reports it
            data = b""
        with os.fdopen(w, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(w)
    done: list[bytes] = []

    def wait() -> list[Match]:  # may be called again (to reap the process after a fault)
        if not done:
            with os.fdopen(r, "rb") as f:
                done.append(f.read())
            os.waitpid(pid, 0)
        if not done[0]:
            return here()
        return [Match(*row) for row in json.loads(done[0])]

    return wait


def warm() -> None:
    """Make the lexer once (pygments looks for plugins and compiles its patterns: 30 ms), e.g.
    before forking processes that each compare one assignment's submissions."""
    _fingerprint("def f(x):\n    return x\n")


def _highlight(code: str, slices) -> str:
    if len(slices) == 0 or len(slices[0]) == 0:
        return html.escape(code)
    marked, _ = _utils().highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)
    return marked
