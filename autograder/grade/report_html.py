"""``DIR/report.html``: one self-contained page an instructor reads after every grading run."""

import base64
import datetime
import html
import io
import json
import statistics
import sys
import urllib.parse
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import similarity
from .record import STATUSES, write_atomic
from .report import CSS, check_message, write_feedback
from .view import ResultView, feedback_stem, fmt, view

RAN = ("graded", "timeout", "memory", "crashed")  # statuses whose scores mean something

EXTRA_CSS = """
body{max-width:72rem}img{max-width:100%;height:auto;display:block;margin:.5rem 0}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}mark{background:#ffe08a}
td code{white-space:nowrap}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
details{margin:.4rem 0}
td.bar{width:9rem;min-width:6rem}td.bar span{display:block;height:.9em;background:#b3261e}
"""


@dataclass(frozen=True)
class CaseStats:
    """How the class did on one test case."""

    question: str
    index: int
    name: str
    hidden: bool
    failed: int
    total: int
    hint: str  # the case's own failure message, if its author wrote one
    messages: tuple[tuple[str, int], ...] = field(default=())  # commonest messages, counted

    @property
    def share(self) -> float:
        return self.failed / self.total if self.total else 0.0


def warm() -> None:
    """Import the libraries a report draws with (matplotlib's figure and Agg canvas, pygments'
    Python lexer: a third of a second), e.g. once before forking processes that each write a
    report."""
    from autograder.imports import brief_matplotlib_docs

    brief_matplotlib_docs()
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    similarity.warm()


def context(zip_bytes: bytes, course=None) -> dict:
    """``title``, ``graded_functions``, ``boilerplate`` and ``threshold`` for ``write_report``,
    from the course when the zip is one of its assignments; defaults for any other zip."""
    name = ""
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
            name = str(json.loads(z.read("otter_config.json")).get("assignment_name") or "")
    except (KeyError, ValueError, zipfile.BadZipFile):
        pass
    try:
        from autograder.course import load_course

        course = course or load_course()
        a = course.assignment(name)
        texts = [p.read_text() for p in (a.template, a.solution_file) if p.is_file()]
    except Exception:  # no course here, or not one of its assignments: a plain report
        return {"title": name}
    return {
        "title": a.title,
        "graded_functions": list(a.graded_functions),
        "boilerplate": texts,
        "threshold": course.grading.similarity,
    }


def write_report(
    out: Path,
    results: Sequence,
    questions: Sequence[str],
    possible: dict[str, float],
    title: str = "",
    graded_functions: Sequence[str] = (),
    boilerplate: Sequence[str] = (),
    threshold: float = 0.8,
    stream=None,
    refresh_feedback: bool = True,
) -> Path:
    """Write ``out/report.html``; never raises: a fault here must not cost the batch its other
    outputs. With a title and ``refresh_feedback``, feedback pages written without the title
    during the batch are rewritten with it (pass False when they were written with it)."""
    out, stream = Path(out), stream or sys.stderr
    path = out / "report.html"
    try:
        views = [view(r) for r in results]
        for r in views if title and refresh_feedback else []:
            try:
                write_feedback(out, r, title=title)
            except (OSError, ValueError) as e:
                print(f"mml grade: feedback not rewritten: {e}", file=stream)
        sources = {r.submission: r.source for r in views if r.status in RAN and r.source}
        pairs = similarity.compare_in_background(
            sources, graded_functions, boilerplate, threshold
        )  # while the figures are drawn
        try:
            page = render(views, list(questions), dict(possible), title, pairs, threshold)
        finally:
            pairs()  # reaps the comparing process even when the page failed
    except Exception as e:  # noqa: BLE001 - report what failed, keep the run's results
        print(f"mml grade: report.html incomplete: {type(e).__name__}: {e}", file=stream)
        page = f"<!doctype html><meta charset='utf-8'><p>The report failed: {html.escape(str(e))}"
    write_atomic(path, page)
    return path


def case_stats(views: list[ResultView]) -> list[CaseStats]:
    """Every test case with the share of submissions (that ran) failing it, worst first."""
    seen: dict[tuple[str, int], dict] = {}
    for r in views:
        if r.status not in RAN:
            continue
        for q in r.questions:
            for i, c in enumerate(q.cases):
                s = seen.setdefault(
                    (q.name, i),
                    {"name": c.name, "hidden": c.hidden, "hint": c.hint, "n": 0, "failed": []},
                )
                s["n"] += 1
                if not c.passed:
                    s["failed"].append((r.submission, check_message(c.message)))
    stats = []
    for (q, i), s in seen.items():
        messages = Counter(m[:300] for _, m in s["failed"]).most_common(3)
        stats.append(
            CaseStats(
                q, i, s["name"], s["hidden"], len(s["failed"]), s["n"], s["hint"], tuple(messages)
            )
        )
    return sorted(stats, key=lambda c: (-c.share, c.question, c.index))


def _figure(fig) -> str:
    """A matplotlib figure as an inline PNG (the page must open from disk, alone)."""
    buf = io.BytesIO()
    # zlib at level 1: a third of the time of the default 6, for a slightly larger page
    fig.savefig(buf, format="png", dpi=110, pil_kwargs={"compress_level": 1})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _subplots(*args, figsize, left=0.85, bottom=0.6, hspace=0.75, wspace=0.55, **kw):
    """A figure of its own (no pyplot state: nothing to close, safe in a writer thread) with
    fixed margins in inches. Automatic layout ("tight") costs a second render: it was half
    the time of a report, and a course run draws twelve."""
    from matplotlib.figure import Figure

    w, h = figsize
    fig = Figure(figsize=figsize)
    fig.subplots_adjust(
        left=left / w, right=1 - 0.2 / w, bottom=bottom / h, top=1 - 0.15 / h,
        hspace=hspace, wspace=wspace,
    )  # fmt: skip
    return fig, fig.subplots(*args, **kw)


def _img(png: str, alt: str) -> str:
    return f"<img class='figure' alt='{html.escape(alt)}' src='data:image/png;base64,{png}'>"


def _step(top: float) -> float:
    """A histogram's bin: half a point, or a twentieth of a large total."""
    return 0.5 if top <= 10 else (top or 1) / 20


def _bars(ax, boxes: list[tuple[float, float, float, float]], color: str) -> None:
    """Bars (left, bottom, width, height) as one collection: ``bar`` and ``hist`` make a
    Rectangle artist each, a quarter of a report's drawing time for some seventy bars."""
    from matplotlib.collections import PolyCollection

    verts = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in boxes if h > 0]
    ax.add_collection(PolyCollection(verts, facecolors=color, edgecolors="white", linewidths=1))
    if boxes:
        ax.update_datalim([(x, y) for x, y, *_ in boxes] + [(x + w, y + h) for x, y, w, h in boxes])
    ax.autoscale_view()


def _counts(values: list[float], edges: list[float]) -> list[int]:
    import numpy as np

    return (
        [int(c) for c in np.histogram(values, bins=edges)[0]] if values else [0] * (len(edges) - 1)
    )


def _count_axis(ax) -> None:
    """Whole numbers of submissions, a few ticks (each tick costs a millisecond to draw)."""
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax.set_ylabel("submissions")


def _hist(ax, values: list[float], top: float, label: str) -> None:
    step = _step(top)  # one bar per bin, centred on it
    edges = [step * (i - 0.5) for i in range(int(round((top or 1) / step)) + 2)]
    counts = _counts(values, edges)
    _bars(ax, [(a, 0, b - a, c) for a, b, c in zip(edges, edges[1:], counts)], "#3b6fd8")
    ax.set_ylim(0, max(1, *counts) * 1.05)
    if values:
        ax.axvline(statistics.mean(values), color="#b3261e", label="mean")
        ax.axvline(statistics.median(values), color="#1b7f3b", linestyle="--", label="median")
    ax.set_xlabel(label)
    _count_axis(ax)


def _row_hist(boxes: list, row: int, values: list[float], top: float) -> None:
    """One question's histogram, as bars in row ``row`` of a shared axes, x in % of its points."""
    step = _step(top)
    bins = int(round((top or 1) / step)) + 1
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(round(v / step))))] += 1
    width = min(0.9 * 100 * step / (top or 1), 6.0)
    for i, c in enumerate(counts):  # a full row's height: every submission
        x = 100 * i * step / (top or 1)
        boxes.append((x - width / 2, row, width, 0.85 * c / max(1, len(values))))


def figures(views: list[ResultView], questions: list[str], possible: dict, cases) -> dict:
    ran = [r for r in views if r.status in RAN]
    top = sum(possible.values())
    figs = {}
    fig, ax = _subplots(figsize=(7, 3))
    _hist(ax, [r.total for r in ran], top, f"total score (out of {fmt(top)})")
    if ran:  # mean and median lines exist only then (an empty legend is a warning)
        ax.legend()
    figs["totals"] = _figure(fig)
    # Every question's histogram in one axes, a row each (an axes per question cost 20 ms each
    # to draw, ticks and all: most of a report's time).
    fig, ax = _subplots(figsize=(7, 0.55 * max(1, len(questions)) + 0.9), left=1.3)
    boxes: list = []
    for row, q in enumerate(questions):
        scores = [x.score for r in ran for x in r.questions if x.name == q]
        row = len(questions) - 1 - row
        _row_hist(boxes, row, scores, possible.get(q, 1))
        if scores:
            mean = 100 * statistics.mean(scores) / (possible.get(q, 1) or 1)
            ax.plot([mean, mean], [row, row + 0.9], color="#b3261e", lw=1.5)
    _bars(ax, boxes, "#3b6fd8")
    ax.set_yticks([k + 0.4 for k in range(len(questions))])
    ax.set_yticklabels([f"{q} (of {fmt(possible.get(q, 1))})" for q in reversed(questions)])
    ax.set_ylim(-0.1, max(1, len(questions)))
    ax.set_xlim(-5, 105)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("score, % of the question's points (bar height: share of submissions; red: mean)")
    figs["questions"] = _figure(fig)
    seconds = [r.seconds for r in views if r.seconds is not None]
    fig, ax = _subplots(figsize=(7, 2.6))
    lo, hi = min(seconds, default=0.0), max(seconds, default=0.0)
    hi = hi if hi > lo else lo + 1.0
    edges = [lo + (hi - lo) * i / 20 for i in range(21)]
    counts = _counts(seconds, edges)
    _bars(ax, [(a, 0, b - a, c) for a, b, c in zip(edges, edges[1:], counts)], "#5b6570")
    ax.set_ylim(0, max(1, *counts) * 1.05)
    ax.set_xlabel("seconds to grade one submission")
    _count_axis(ax)
    figs["seconds"] = _figure(fig)
    return figs


def _link(r: ResultView) -> str:
    e = html.escape
    href = "feedback/" + urllib.parse.quote(feedback_stem(r) + ".html")  # '#', '?' in names
    return f"<a href='{e(href, quote=True)}'>{e(r.submission)}</a>"


def render(views, questions, possible, title, pairs, threshold) -> str:
    """The page; ``pairs``: the similar pairs, or a function that waits for them."""
    e = html.escape
    ran = [r for r in views if r.status in RAN]
    cases = case_stats(views)
    figs = figures(views, questions, possible, cases)
    pairs = pairs() if callable(pairs) else pairs
    top = sum(possible.values())
    totals = [r.total for r in ran]
    day = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    p = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Report: {e(title or 'grading run')}</title>",
        f"<style>{CSS}{EXTRA_CSS}</style></head><body>",
        f"<h1>{e(title or 'Grading report')}</h1>",
        f"<p class='meta'>{len(views)} submissions, {len(ran)} ran; written {day}</p>",
        "<h2 id='scores'>Scores</h2>",
    ]
    if totals:
        full = sum(t >= top for t in totals) / len(totals)
        p.append(
            f"<p>Total: mean {fmt(statistics.mean(totals))}, median "
            f"{fmt(statistics.median(totals))} of {fmt(top)}; {full:.0%} full marks "
            "(submissions that ran; invalid and grader errors are left out).</p>"
        )
    p.append(_img(figs["totals"], "histogram of total scores"))
    p.append("<table><tr><th>Question</th><th class='n'>Mean</th><th class='n'>Median</th>")
    p.append("<th class='n'>Full marks</th><th class='n'>Points</th></tr>")
    for q in questions:
        s = [x.score for r in ran for x in r.questions if x.name == q]
        if s:
            full = sum(v >= possible.get(q, 0) for v in s) / len(s)
            p.append(
                f"<tr><td>{e(q)}</td><td class='n'>{fmt(statistics.mean(s))}</td>"
                f"<td class='n'>{fmt(statistics.median(s))}</td><td class='n'>{full:.0%}</td>"
                f"<td class='n'>{fmt(possible.get(q, 0))}</td></tr>"
            )
    p.append("</table>")
    p.append(_img(figs["questions"], "histograms of each question's score"))
    p += _cases_section(cases)
    p += _status_section(views)
    p += _time_section(views, figs["seconds"])
    p += _similar_section(pairs, threshold)
    p.append("</body></html>")
    return "\n".join(p) + "\n"


def _cases_section(cases: list[CaseStats]) -> list[str]:
    # A bar in each row rather than a chart beside the table: the names and hints stay next to
    # their bars, can be searched, and cost nothing to draw (a chart of 25 labelled bars was
    # the costliest figure of a report).
    e = html.escape
    p = [
        "<h2 id='cases'>Where the class struggles</h2>",
        "<p>Share of submissions that ran and failed each test case, worst first. Hidden case "
        "names and messages are shown here only: students never see them.</p>",
        "<table class='cases'><tr><th>Case</th><th>Name</th><th class='n'>Failing</th>"
        "<th>Share failing</th><th>Hint and commonest messages</th></tr>",
    ]
    for c in cases:
        kind = "hidden" if c.hidden else "public"
        p.append(
            f"<tr><td>{e(c.question)} #{c.index + 1} ({kind})</td><td><code>{e(c.name)}</code>"
            f"</td><td class='n'>{c.failed}/{c.total} ({c.share:.0%})</td>"
            f"<td class='bar' role='img' aria-label='{c.share:.0%} failing'>"
            f"<span style='width:{100 * c.share:.1f}%'></span></td><td>{_hints(c)}</td></tr>"
        )
    p.append("</table>")
    return p


def _hints(c: CaseStats) -> str:
    e = html.escape
    items = [f"<li><b>Hint:</b> {e(c.hint)}</li>"] if c.hint else []
    items += [f"<li>{e(m)} <span class='muted'>({n}×)</span></li>" for m, n in c.messages]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _status_section(views: list[ResultView]) -> list[str]:
    by: dict[str, list[ResultView]] = {}
    for r in views:
        by.setdefault(r.status, []).append(r)
    p = ["<h2 id='statuses'>Statuses</h2><table><tr><th>Status</th><th class='n'>Count</th>"]
    p.append("<th>Submissions</th></tr>")
    for s in [*STATUSES, *sorted(set(by) - set(STATUSES))]:
        rs = by.get(s, [])
        links = ", ".join(_link(r) for r in rs)
        p.append(f"<tr><td>{html.escape(s)}</td><td class='n'>{len(rs)}</td><td>{links}</td></tr>")
    p.append("</table>")
    return p


def _time_section(views: list[ResultView], png: str) -> list[str]:
    timed = sorted((r for r in views if r.seconds is not None), key=lambda r: -(r.seconds or 0))
    p = ["<h2 id='time'>Time</h2>"]
    if timed:
        secs = [r.seconds or 0.0 for r in timed]
        p.append(
            f"<p>Per submission: median {statistics.median(secs):.2f} s, "
            f"total {sum(secs):.1f} s of grading.</p>"
        )
    p.append(_img(png, "histogram of seconds per submission"))
    p.append("<table><tr><th>Slowest</th><th>Status</th><th class='n'>Seconds</th></tr>")
    for r in timed[:10]:
        p.append(
            f"<tr><td>{_link(r)}</td><td>{html.escape(r.status)}</td>"
            f"<td class='n'>{r.seconds:.2f}</td></tr>"
        )
    p.append("</table>")
    return p


def _similar_section(pairs: list[similarity.Match], threshold: float) -> list[str]:
    e = html.escape
    p = [
        "<h2 id='similar'>Similar submissions</h2>",
        f"<p>Pairs whose graded functions share at least {threshold:.0%} of either one's own "
        "code after names, whitespace and comments are normalised (winnowed fingerprints; "
        "the template's stubs and the reference solution do not count). A hint for a human "
        "to look at, never a change of score.</p>",
    ]
    if not pairs:
        p.append("<p>No pair reached the threshold.</p>")
    for m in pairs[:50]:
        p.append(
            f"<details class='pair'><summary><b>{e(m.a)}</b> and <b>{e(m.b)}</b>: "
            f"{m.share_a:.0%} / {m.share_b:.0%} shared</summary><div class='side'>"
            f"<pre>{m.code_a}</pre><pre>{m.code_b}</pre></div></details>"
        )
    return p
