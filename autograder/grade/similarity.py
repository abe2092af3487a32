"""Similar-submission hints: winnowed fingerprints (copydetect) of graded functions.

Names, whitespace, comments and string contents are normalised away by copydetect's tokenizer
(pygments), so renaming variables or adding comments does not hide a copy. Code that everyone
starts from or converges to (the template's stubs, the reference solution, fingerprints that
most of the class shares) is boilerplate and never counts. A hint for a human, never a score.
"""

import ast
import io
import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import highlight_overlap

from . import load

NOISE = 25  # shortest match (characters of normalised code) worth reporting: copydetect's default
WINDOW = 4  # winnowing window: any match of NOISE + WINDOW - 1 characters is always found
MIN_CODE = 60  # normalised characters of own code below which a submission is not compared
MAX_CELL = 200_000  # a cell larger than this is not parsed (a hostile notebook stays cheap)
MAX_CODE = 50_000


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
        if not isinstance(src, str) or len(src) > MAX_CELL:
            continue
        for name, code in _definitions(src):
            if not functions or name in functions:
                found[name] = code
    order = list(functions) or list(found)
    return "\n\n".join(found[f] for f in order if f in found)[:MAX_CODE]


def _definitions(src: str) -> Iterable[tuple[str, str]]:
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # magics, unfinished code, or a parser bomb: nothing to compare
    return [
        (node.name, ast.get_source_segment(src, node) or "")
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _fingerprint(code: str, boilerplate=None) -> CodeFingerprint:
    return CodeFingerprint(
        "code.py", NOISE, WINDOW, boilerplate=boilerplate, language="python", fp=io.StringIO(code)
    )


def similar_pairs(
    codes: dict[str, str], boilerplate: Sequence[str] = (), threshold: float = 0.8
) -> list[Match]:
    """Pairs whose shared code is at least ``threshold`` of either one's own code, most similar
    first. ``boilerplate``: source texts whose fingerprints are ignored."""
    logging.getLogger().disabled, was = True, logging.getLogger().disabled  # pygments chatter
    try:
        return _pairs(codes, boilerplate, threshold)
    finally:
        logging.getLogger().disabled = was


def _pairs(codes: dict[str, str], boilerplate: Sequence[str], threshold: float) -> list[Match]:
    ignored: set[int] = set()
    for text in boilerplate:
        ignored |= _fingerprint(text).hashes
    first = {n: _fingerprint(c, np.array(sorted(ignored))) for n, c in codes.items() if c}
    # What most of the class shares (a given helper, an idiom) is no evidence of copying.
    counts = Counter(h for fp in first.values() for h in fp.hashes)
    common = {h for h, k in counts.items() if k > max(4, len(first) // 2)}
    base = np.array(sorted(ignored | common))
    prints = {n: _fingerprint(codes[n], base) for n in first}
    prints = {n: fp for n, fp in prints.items() if fp.token_coverage >= MIN_CODE}
    # Only pairs that share a fingerprint are compared: linear in practice, not quadratic.
    holders: dict[int, list[str]] = {}
    for n, fp in prints.items():
        for h in fp.hashes:
            holders.setdefault(h, []).append(n)
    candidates = {pair for names in holders.values() for pair in combinations(sorted(names), 2)}
    matches = []
    for a, b in sorted(candidates):
        _, (share_a, share_b), (slices_a, slices_b) = compare_files(prints[a], prints[b])
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


def _highlight(code: str, slices) -> str:
    if len(slices) == 0 or len(slices[0]) == 0:
        from html import escape

        return escape(code)
    marked, _ = highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)
    return marked
