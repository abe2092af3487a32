"""What people read: the progress line, per-student feedback and the batch summary."""

import html
import json
import sys
import time
from collections import Counter
from pathlib import Path

from .record import STATUSES, write_atomic


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


def feedback_html(r: dict) -> str:
    """Scores per question; messages for failed public tests; hidden tests only pass/fail."""
    e = html.escape
    parts = [
        f"<h1>Feedback for {e(r['submission'])}</h1>",
        f"<p>Score: <b>{r['total']:g} / {r['possible']:g}</b></p>",
    ]
    if r["status"] != "graded":
        parts.append(f"<p>Status: <b>{e(r['status'])}</b>. {e(r.get('detail', ''))}</p>")
    for i, name, msg in r.get("cell_errors", [])[:10]:
        parts.append(
            f"<p>Code cell {int(i) + 1} raised <code>{e(str(name))}</code>: {e(str(msg)[:300])}</p>"
        )
    for q, qr in r.get("questions", {}).items():
        parts.append(f"<h2>{e(q)}: {qr['score']:g} / {qr['possible']:g}</h2><ul>")
        for t in qr["tests"]:
            mark = "passed" if t["passed"] else "failed"
            if t["hidden"] and not r.get("show_hidden"):  # Otter's show_hidden
                parts.append(f"<li>hidden test ({t['points']:g} points): {mark}</li>")
                continue
            parts.append(f"<li>{e(str(t['name']))} ({t['points']:g} points): {mark}")
            if not t["passed"]:
                if t.get("failure_message"):
                    parts.append(f"<p>{e(str(t['failure_message']))}</p>")
                parts.append(f"<pre>{e(str(t['message']))}</pre>")
            parts.append("</li>")
        parts.append("</ul>")
    return "<!doctype html><meta charset='utf-8'>\n" + "\n".join(parts) + "\n"


def write_feedback(out: Path, r: dict) -> None:
    folder = out / "feedback"
    folder.mkdir(exist_ok=True)
    write_atomic(folder / f"{r['submission']}.html", feedback_html(r))
