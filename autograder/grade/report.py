"""What people read: the progress line, per-student feedback and the batch summary."""

import datetime
import html
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from .record import STATUSES, write_atomic
from .view import QuestionView, ResultView, feedback_stem, fmt, view


class Progress:
    """``[ 120/1000] 35.2/s, 25 s left`` on stderr, at most a few times a second."""

    def __init__(self, total: int, done: int = 0, stream=sys.stderr):
        self.total, self.done, self.stream = total, done, stream
        self.start = time.monotonic()
        self.new = 0
        self.last = 0.0
        self.tty = getattr(stream, "isatty", lambda: False)()

    def step(self, n: int = 1) -> None:
        self.done += n
        self.new += n
        now = time.monotonic()
        if now - self.last < (0.25 if self.tty else 5) and self.done < self.total:
            return
        self.last = now
        rate = self.new / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else 0
        line = f"[{self.done:>{len(str(self.total))}}/{self.total}] {rate:.1f}/s, {left:.0f} s left"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


def summary(results: list[dict], questions: list[str], possible: dict[str, float]) -> dict:
    statuses = Counter(r["status"] for r in results)
    graded = [r for r in results if r["status"] not in ("invalid", "error")]
    means = {
        q: _mean([r["questions"].get(q, {}).get("score", 0) for r in graded]) for q in questions
    }
    return {
        "submissions": len(results),
        "statuses": {s: statuses.get(s, 0) for s in STATUSES if statuses.get(s)},
        "mean": means,
        "possible": possible,
        "mean_total": _mean([r["total"] for r in graded]),
        "possible_total": sum(possible.values()),
        "median_seconds": _median([r.get("seconds", 0) for r in results if "seconds" in r]),
    }


def _mean(xs):
    return round(sum(xs) / len(xs), 4) if xs else 0.0


def _median(xs):
    xs = sorted(xs)
    return round(xs[len(xs) // 2], 4) if xs else 0.0


def summary_text(s: dict) -> str:
    lines = [
        f"{s['submissions']} submissions: "
        + ", ".join(f"{n} {k}" for k, n in s["statuses"].items())
    ]
    for q, m in s["mean"].items():
        lines.append(f"  {q}: mean {m:g} / {s['possible'][q]:g}")
    lines.append(f"  total: mean {s['mean_total']:g} / {s['possible_total']:g}")
    return "\n".join(lines)


def write_summary(out: Path, s: dict) -> None:
    write_atomic(out / "summary.json", json.dumps(s, indent=1))
    write_atomic(out / "summary.md", "# Grading summary\n\n```\n" + summary_text(s) + "\n```\n")


def context(zip_bytes: bytes, course=None) -> dict:
    """What the report (and the feedback pages' title) need to know about this zip's
    assignment (see ``report_html.context``)."""
    from . import report_html

    return report_html.context(zip_bytes, course)


def write_report(out: Path, results, questions, possible, ctx: dict) -> Path:
    """``out/report.html`` for a batch; the feedback pages already carry the title."""
    from . import report_html

    return report_html.write_report(
        out, results, questions, possible, **ctx, refresh_feedback=False
    )


# --- Feedback pages: what a student reads ---------------------------------------------------

# Shared with report.html: self-contained, readable on a phone, printable.
CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;
  max-width:52rem;margin:2rem auto;padding:0 1rem;background:#fbfbfc}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .4rem}
.meta{color:#5b6570;margin:0}.box{background:#fff;border:1px solid #dde1e6;border-radius:8px;
  padding:.8rem 1rem;margin:1rem 0}.total{font-size:2rem;font-weight:600}
.ok{color:#1b7f3b}.bad{color:#b3261e}.warn{background:#fff7e0;border-color:#f0c36d}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;
  border-bottom:1px solid #e8eaed;vertical-align:top}th{font-weight:600}
.bar{background:#e8eaed;border-radius:4px;height:.6rem;min-width:6rem}
.bar>span{display:block;height:100%;border-radius:4px;background:#3b6fd8}
pre{background:#f3f4f6;padding:.6rem;border-radius:6px;white-space:pre-wrap;
  overflow-wrap:anywhere;font-size:.9rem}code{font-size:.9rem}
.check{margin:.6rem 0}.muted{color:#5b6570}
"""

_OTTER_HEAD = re.compile(r"^❌ Test case failed\n(Error at line \d+ in test \w+:\n(?:\s+.*\n)*)?")


def status_words(r: ResultView) -> str:
    """The status in words a student understands (no exception class names)."""
    if r.status == "timeout":
        limit = r.timeout_seconds
        after = f" after {fmt(limit)} s" if limit else ""
        return (
            f"Your notebook ran out of time{after} and was stopped. Checks that had not run by "
            "then score 0: look for a loop that never ends or a very slow cell."
        )
    if r.status == "memory":
        return "Your notebook used more memory than allowed and was stopped."
    if r.status == "crashed":
        return (
            "Your notebook's Python process ended abruptly (for example by calling exit()), "
            "so it could not finish. Checks that had not run by then score 0."
        )
    if r.status == "invalid":
        why = _plain(r.detail) or "it is not a notebook"
        return (
            f"We could not grade your file: {why}. Submit the "
            ".ipynb notebook of this assignment, or the zip that grader.export() writes."
        )
    if r.status == "error":
        return (
            "Something went wrong in the grader, not in your work. Your instructor will "
            "grade it again."
        )
    if r.cell_errors:
        return "Your notebook ran to the end, but some cells raised errors (listed below)."
    return "Your notebook ran to the end and was graded."


def _plain(text: str) -> str:
    """Drop exception class names (``JSONDecodeError: ``) from a detail."""
    return re.sub(r"\b\w+(Error|Exception): ", "", text)


def check_message(message: str) -> str:
    """Otter's message without its header and the test file's line: the sentence that helps."""
    text = _OTTER_HEAD.sub("", message.strip() + "\n", count=1).strip()
    if text.startswith("❌ Test case not run: "):
        text = "Not run: " + text.removeprefix("❌ Test case not run: ") + "."
    text = text.removeprefix("AssertionError: ")
    return text or "This check failed."


def _ran(r: ResultView) -> bool:
    """Whether the notebook ran at all: an unreadable file has no checks worth listing."""
    return r.status not in ("invalid", "error")


def _hidden_counts(q: QuestionView) -> tuple[int, int]:
    hidden = [c for c in q.cases if c.hidden]
    passed = sum(c.passed for c in hidden)
    return passed, len(hidden) - passed


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%d %B %Y").lstrip("0")


def feedback_html(result, title: str = "", date: str | None = None) -> str:
    """A self-contained page: scores, failed public checks with their messages, hidden counts."""
    r, e = view(result), html.escape
    head = e(title) if title else "Feedback"
    share = r.total / r.possible if r.possible else 0.0
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{head}: {e(r.submission)}</title><style>{CSS}</style></head><body>",
        f"<h1>{head}</h1>",
        f"<p class='meta'>Feedback for <b>{e(r.submission)}</b>, {e(date or _today())}</p>",
        f"<div class='box'><div class='total'>{fmt(r.total)} / {fmt(r.possible)}</div>",
        f"<div class='bar'><span style='width:{100 * share:.0f}%'></span></div></div>",
    ]
    warn = " warn" if r.status != "graded" or r.cell_errors else ""
    parts.append(f"<p class='box{warn}'>{e(status_words(r))}</p>")
    if r.cell_errors:
        parts.append("<h2>Errors in your notebook</h2><ul>")
        for c in r.cell_errors[:10]:
            parts.append(
                f"<li>Code cell {c.cell} raised <code>{e(c.ename)}</code>: {e(c.evalue[:300])}</li>"
            )
        parts.append("</ul>")
    parts.append("<h2>Scores</h2><table><tr><th>Question</th><th>Score</th><th></th></tr>")
    for q in r.questions:
        w = 100 * q.score / q.possible if q.possible else 0
        parts.append(
            f"<tr><td><a href='#{e(q.name)}'>{e(q.name)}</a></td>"
            f"<td>{fmt(q.score)} / {fmt(q.possible)}</td>"
            f"<td><div class='bar'><span style='width:{w:.0f}%'></span></div></td></tr>"
        )
    parts.append("</table>")
    for q in r.questions:
        parts.append(f"<h2 id='{e(q.name)}'>{e(q.name)}: {fmt(q.score)} / {fmt(q.possible)}</h2>")
        for i, c in enumerate(q.cases):
            if c.hidden or not _ran(r):
                continue
            label = e(q.label(i))
            if c.passed:
                parts.append(f"<div class='check ok'>✔ {label} passed</div>")
                continue
            parts.append(f"<div class='check'><span class='bad'>✘ {label} failed</span>")
            if c.hint:
                parts.append(f"<p>{e(c.hint)}</p>")
            parts.append(f"<pre>{e(check_message(c.message))}</pre></div>")
        passed, failed = _hidden_counts(q)
        if passed + failed and _ran(r):
            parts.append(
                f"<p class='muted'>Hidden checks: {passed} passed, {failed} failed "
                "(hidden tests show only whether they passed).</p>"
            )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _md(s: str) -> str:
    """Inline text safe in Markdown: no markup, links or HTML from a submission."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", s.replace("\n", " "))


def feedback_md(result, title: str = "", date: str | None = None) -> str:
    """The page as Markdown, for an LMS comment box."""
    r = view(result)
    lines = [
        f"## {_md(title) if title else 'Feedback'}: {fmt(r.total)} / {fmt(r.possible)}",
        "",
        f"Feedback for **{_md(r.submission)}**, {date or _today()}.",
        "",
        _md(status_words(r)),
        "",
    ]
    for c in r.cell_errors[:10]:
        lines.append(f"- Code cell {c.cell} raised {_md(c.ename)}: {_md(c.evalue[:300])}")
    if r.cell_errors:
        lines.append("")
    for q in r.questions:
        lines += [f"### {_md(q.name)}: {fmt(q.score)} / {fmt(q.possible)}", ""]
        for i, c in enumerate(q.cases):
            if c.hidden or not _ran(r):
                continue
            lines.append(f"- {q.label(i)} {'passed' if c.passed else 'failed'}")
            if not c.passed:
                hint = f"{c.hint}\n" if c.hint else ""
                # An indented block shows the message verbatim, whatever characters it holds.
                block = (hint + check_message(c.message)).splitlines()
                lines += [""] + [f"        {line}" for line in block] + [""]
        passed, failed = _hidden_counts(q)
        if passed + failed and _ran(r):
            lines.append(f"- Hidden checks: {passed} passed, {failed} failed")
        lines.append("")
    return "\n".join(lines)


def write_feedback(
    out: Path, result, *, title: str = "", date: str | None = None, stem: str | None = None
) -> Path:
    """Write ``out/feedback/<stem>.html`` and its ``.md`` twin; returns the HTML path."""
    folder = Path(out) / "feedback"
    folder.mkdir(exist_ok=True)
    r = view(result)
    stem = stem or feedback_stem(r)
    page = folder / f"{stem}.html"
    for path, text in ((page, feedback_html(r, title, date)), (page.with_suffix(".md"), None)):
        text = text if text is not None else feedback_md(r, title, date)
        if not _same(path, text):  # a resumed run rewrites nothing that has not changed
            write_atomic(path, text)
    return page


def _same(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, ValueError):
        return False
