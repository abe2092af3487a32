"""A typed, read-only view of graded results for the pages people read and the gradebook.

Feedback pages, ``report.html`` and ``mml gradebook`` read results only through ``view()`` and
``read_results()``: when the batch's typed ``Result`` lands, only this module changes. Every
field is coerced here, because messages, exception text and names come from submissions.
"""

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_TEXT = 4000
# Control characters, and the bidirectional controls that make text read other than it is.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


@dataclass(frozen=True)
class CaseView:
    """One test case's outcome."""

    name: str
    passed: bool
    points: float
    hidden: bool
    message: str
    hint: str


@dataclass(frozen=True)
class QuestionView:
    """One question: its score and its cases, in Otter's order."""

    name: str
    score: float
    possible: float
    cases: tuple[CaseView, ...]

    def label(self, index: int) -> str:
        """``q1 - 2`` means little to a student: say "Check 2 of q1"."""
        return f"Check {index + 1} of {self.name}"


@dataclass(frozen=True)
class CellError:
    """An exception a notebook cell raised (``cell`` counts code cells from 1)."""

    cell: int
    ename: str
    evalue: str


@dataclass(frozen=True)
class ResultView:
    """One submission's result."""

    submission: str
    source: str
    status: str
    detail: str
    questions: tuple[QuestionView, ...]
    total: float
    possible: float
    cell_errors: tuple[CellError, ...]
    seconds: float | None
    file: str = ""  # the stem of its files in results/ and feedback/, when the batch names them

    @property
    def timeout_seconds(self) -> float | None:
        """The time limit a ``timeout`` result ran into, from the judge's detail."""
        m = re.search(r"after ([0-9.]+) s", self.detail)
        return float(m.group(1)) if m else None


def view(result) -> ResultView:
    """A result (today's dict, or any object with ``to_json()``) as a ``ResultView``."""
    if isinstance(result, ResultView):
        return result
    if hasattr(result, "to_json"):
        result = result.to_json()
        if isinstance(result, str):
            result = json.loads(result)
    if not isinstance(result, dict):
        raise ValueError("a result must be a mapping")
    questions = result.get("questions")
    questions = questions if isinstance(questions, dict) else {}
    return ResultView(
        submission=_text(result.get("submission"), 300) or "?",
        source=_text(result.get("source"), 1000),
        status=_text(result.get("status"), 40) or "error",
        detail=_text(result.get("detail")),
        # Otter's show_hidden (an --autograder zip's choice): hidden cases shown like public ones
        questions=tuple(
            _question(str(q), v, result.get("show_hidden") is True) for q, v in questions.items()
        ),
        total=_number(result.get("total")),
        possible=_number(result.get("possible")),
        cell_errors=tuple(_cell_errors(result.get("cell_errors"))),
        seconds=_number(result["seconds"]) if "seconds" in result else None,
        file=_text(result.get("file"), 300),
    )


def read_results(out: Path, stream=sys.stderr) -> list[ResultView]:
    """Every readable result in ``out/results``, by submission; unreadable ones are named."""
    views = []
    for path in sorted((Path(out) / "results").glob("*.json")):
        try:
            views.append(view(json.loads(path.read_text(encoding="utf-8", errors="replace"))))
        except (OSError, ValueError) as e:
            print(f"warning: skipped {path.name}: {e}", file=stream)
    return sorted(views, key=lambda r: r.submission)


def _question(name: str, q, show_hidden: bool = False) -> QuestionView:
    q = q if isinstance(q, dict) else {}
    tests = q.get("tests") if isinstance(q.get("tests"), list) else []
    return QuestionView(
        name=_text(name, 40),
        score=_number(q.get("score")),
        possible=_number(q.get("possible")),
        cases=tuple(_case(t, show_hidden) for t in tests if isinstance(t, dict)),
    )


def _case(t: dict, show_hidden: bool = False) -> CaseView:
    return CaseView(
        name=_text(t.get("name"), 200),
        passed=t.get("passed") is True,
        points=_number(t.get("points")),
        # unknown means hidden: never leak a message
        hidden=t.get("hidden") is not False and not show_hidden,
        message=_text(t.get("message")),
        hint=_text(t.get("failure_message")),
    )


def _cell_errors(errors) -> list[CellError]:
    out = []
    for e in errors if isinstance(errors, list) else []:
        if isinstance(e, list | tuple) and len(e) == 3:
            index = e[0] if isinstance(e[0], int) and not isinstance(e[0], bool) else -1
            out.append(CellError(index + 1, _text(e[1], 100), _text(e[2], 500)))
    return out[:50]


def _text(x, limit: int = MAX_TEXT) -> str:
    if x is None:
        return ""
    s = x if isinstance(x, str) else str(x)
    # Lone surrogates and control characters from a child must not break a page or a CSV.
    s = UNSAFE.sub("\ufffd", s.encode("utf-8", "replace").decode("utf-8"))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _number(x) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return v if math.isfinite(v) else 0.0


def fmt(x: float) -> str:
    """Points as people write them: ``2``, ``0.5``, ``1.3`` (one decimal at most)."""
    r = round(x, 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def feedback_stem(r: ResultView) -> str:
    """The file name (without suffix) of a submission's feedback page, for writers and links:
    the batch's ``file`` when the result has one, else the identity; path-safe either way."""
    stem = re.sub(r"[/\\\x00]", "_", r.file or r.submission).lstrip(".") or "_"
    return stem.encode("utf-8")[:200].decode("utf-8", "ignore")
