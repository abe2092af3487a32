"""Feedback pages, report.html and similarity hints, on a class graded for real."""

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from pydantic import ValidationError

from autograder.course import GradingSettings
from autograder.grade import report, report_html, similarity
from autograder.grade.record import file_stem

from . import classroom
from .classroom import SLUG, boilerplate
from .conftest import load_results

pytestmark = pytest.mark.slow  # grades a class for real (needs the built assignment)

graded_class = classroom.graded_class  # the fixture, shared with the other report tests

TITLE = classroom.TITLE


def page(out: Path, name: str, suffix: str = "html") -> str:
    return (out / "feedback" / f"{file_stem(name)}.{suffix}").read_text()


def test_feedback_shows_public_failures_and_only_counts_of_hidden_ones(graded_class):
    carol = page(graded_class, "carol")  # a mutant: cov divides by N - 1
    assert f"<h1>{TITLE}</h1>" in carol and re.search(r"\d{1,2} \w+ 20\d\d", carol)
    assert "6 / 8" in carol and "q4: 0 / 2" in carol
    assert "Check 1 of q4 failed" in carol and "divide by N instead" in carol
    assert "Hidden checks: 0 passed, 2 failed" in carol
    hidden = load_results(graded_class)["carol"]["questions"]["q4"]["tests"][1]
    assert hidden["hidden"] and "this course's covariance" in hidden["message"]
    assert "this course's covariance" not in carol  # hidden messages never reach a student
    assert "q4 - 1" not in carol and "Error at line" not in carol and "<style>" in carol
    alice = page(graded_class, "alice")  # the reference
    assert "8 / 8" in alice and "failed</span>" not in alice and "✘" not in alice
    md = page(graded_class, "carol", "md")
    assert md.startswith(f"## {TITLE}: 6 / 8") and "divide by N instead" in md
    assert "this course's covariance" not in md


def test_feedback_says_the_status_in_plain_words(graded_class):
    heidi = page(graded_class, "heidi")  # loops forever after answering everything
    assert "ran out of time after 6 s" in heidi and "ChildGone" not in heidi
    ivan = page(graded_class, "ivan")  # not a notebook
    assert "We could not grade your file" in ivan and "JSONDecodeError" not in ivan
    assert "Check 1 of" not in ivan  # no list of checks that never ran
    judy = page(graded_class, "judy")  # a cell of her own raises
    assert "raised <code>ValueError</code>: my own bug" in judy


def test_feedback_rounds_and_escapes_hostile_text(tmp_path):
    evil = "<script>alert(1)</script> [x](javascript:alert(1)) \ud800 `code`"
    result = {
        "submission": "mallory",
        "status": "graded",
        "questions": {
            "q1": {
                "score": 1 / 3,
                "possible": 1.0,
                "tests": [
                    {"name": "q1 - 1", "passed": False, "points": 1 / 3, "hidden": False,
                     "message": evil, "failure_message": None},
                    {"name": "secret-case", "passed": False, "points": 1 / 3, "hidden": True,
                     "message": "the hidden input is 42", "failure_message": None},
                ],
            }
        },
        "total": 1 / 3,
        "possible": 1.0,
        "cell_errors": [[3, evil, evil], ["x", None, {}]],
    }  # fmt: skip
    path = report.write_feedback(tmp_path, result, title="T")
    html, md = path.read_text(), path.with_suffix(".md").read_text()
    assert "0.3 / 1" in html and "0.333" not in html and "0.333" not in md
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "secret-case" not in html + md and "42" not in html + md
    for line in md.splitlines():  # Markdown: escaped inline, or verbatim in a code block
        if "javascript" in line:
            assert line.startswith("        ") or "\\[x\\](javascript" in line, line
            assert line.startswith("        ") or "\\<script\\>" in line, line


def test_report_of_a_batch_where_nothing_ran_draws_its_figures_quietly(tmp_path):
    invalid = {
        "submission": "x",
        "status": "invalid",
        "questions": {"q1": {"score": 0, "possible": 1.0, "tests": []}},
        "total": 0,
        "possible": 1.0,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warned of an empty legend: now it fails
        report_html.write_report(tmp_path, [invalid], ["q1"], {"q1": 1.0}, title="T")
    html = (tmp_path / "report.html").read_text()
    assert "The report failed" not in html and html.count("data:image/png") == 3


def test_report_html_holds_figures_statuses_cases_and_similar_pairs(graded_class):
    text = (graded_class / "report.html").read_text()
    assert f"<h1>{TITLE}</h1>" in text
    assert len(re.findall(r"<img class='figure'[^>]*src='data:image/png;base64,", text)) == 3
    bars = re.findall(r"\((\d+)%\)</td><td class='bar'[^>]*><span style='width:([\d.]+)%'", text)
    assert len(bars) > 5 and all(abs(int(a) - float(b)) <= 0.5 for a, b in bars)
    assert [float(b) for _, b in bars] == sorted((float(b) for _, b in bars), reverse=True)
    assert "http://" not in text and "https://" not in text  # self-contained
    for name in ("alice", "bob", "carol", "heidi", "ivan", "judy"):
        assert f"href='feedback/{file_stem(name)}.html'" in text
        assert (graded_class / "feedback" / f"{file_stem(name)}.html").is_file()
    assert re.search(r"<td>timeout</td><td class='n'>1</td><td><a href='feedback/heidi-", text)
    # Instructors see hidden cases, with their commonest messages.
    assert "q4 #2 (hidden)" in text and "this course&#x27;s covariance divides by N" in text
    similar = text.split("id='similar'")[1]
    assert "<b>erin</b> and <b>frank</b>" in similar  # a copy with names and comments changed
    for other in ("alice", "grace", "judy", "heidi", "bob"):
        assert f"<b>{other}</b>" not in similar  # reference copies, independent work, blank


def test_similarity_finds_renamed_copies_and_ignores_boilerplate(graded_class, course):
    subs = graded_class.parent / "subs"
    functions = list(course.assignment(SLUG).graded_functions)
    codes = {p.stem: similarity.graded_code(p, functions) for p in subs.iterdir()}
    assert codes["ivan"] == "" and "def cov_naive" in codes["erin"]
    pairs = similarity.similar_pairs(codes, boilerplate(course), threshold=0.5)
    assert [(m.a, m.b) for m in pairs] == [("erin", "frank")]
    assert pairs[0].similarity > 0.9 and "<mark>" in pairs[0].code_a
    # Without the stubs and the reference as boilerplate, every reference copy would match.
    naive = {(m.a, m.b) for m in similarity.similar_pairs(codes, (), threshold=0.5)}
    assert ("alice", "judy") in naive


def test_boilerplate_fingerprints_are_kept_on_disk_by_content(tmp_path, monkeypatch, course):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = boilerplate(course)
    first = similarity.boilerplate_hashes(texts)
    cached = list((tmp_path / "mml" / "similarity").glob("*.json"))
    assert len(first) > 100 and len(cached) == 1
    assert similarity.boilerplate_hashes(texts) == first  # read back, the same set
    assert similarity.boilerplate_hashes(texts[:1]) != first  # other texts: another entry
    kept = json.loads(cached[0].read_text())  # the normalised texts (hashes vary by process)
    assert all(isinstance(t, str) for t in kept) and "defF(V):" in "".join(kept)
    cached[0].write_text('{"not": "a list"}')  # damaged: computed again, and rewritten
    assert similarity.boilerplate_hashes(texts) == first
    assert json.loads(cached[0].read_text()) == kept


def test_our_fingerprints_are_copydetects_own(graded_class, course):
    # similarity.py uses copydetect's tokenizer and winnowing without its report writer
    # (which imports matplotlib.pyplot); the shares and slices must be what copydetect finds.
    import io
    import itertools

    import numpy as np
    from copydetect import CodeFingerprint, compare_files

    subs = graded_class.parent / "subs"
    codes = {similarity.graded_code(p) for p in subs.iterdir()} - {""}
    assert len(codes) >= 5
    for a, b in itertools.combinations(sorted(codes), 2):
        theirs = [
            CodeFingerprint("code.py", similarity.NOISE, similarity.WINDOW, language="python",
                            fp=io.StringIO(c))
            for c in (a, b)
        ]  # fmt: skip
        _, shares, slices = compare_files(*theirs)
        ours = [similarity._fingerprint(c) for c in (a, b)]
        assert [o.hashes for o in ours] == [t.hashes for t in theirs]
        mine, where = similarity._compare(*ours)
        assert np.allclose(mine, shares)
        assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(where, slices))


def test_comparison_in_a_forked_process_finds_what_the_direct_one_does(
    graded_class, course, monkeypatch
):
    subs = graded_class.parent / "subs"
    sources = {p.stem: str(p) for p in subs.iterdir()}
    functions = list(course.assignment(SLUG).graded_functions)
    codes = {n: similarity.graded_code(p, functions) for n, p in sources.items()}
    direct = similarity.similar_pairs(codes, boilerplate(course), threshold=0.5)
    assert [(m.a, m.b) for m in direct] == [("erin", "frank")]
    monkeypatch.setattr(similarity, "IN_BACKGROUND", 2)  # this class is small: fork anyway
    wait = similarity.compare_in_background(sources, functions, boilerplate(course), 0.5)
    assert wait.__name__ == "wait"  # a process was forked; "here" would compare in this one
    assert wait() == direct and wait() == direct  # the second call reads what the first kept
    monkeypatch.setattr(similarity, "IN_BACKGROUND", 10**6)
    calls = []
    compare = similarity.similar_pairs
    monkeypatch.setattr(similarity, "similar_pairs", lambda *a: calls.append(1) or compare(*a))
    here = similarity.compare_in_background(sources, functions, boilerplate(course), 0.5)
    assert here.__name__ == "here" and here() == direct
    assert here() == direct and len(calls) == 1  # write_report asks twice (to reap): once


def test_similarity_loads_without_matplotlib():
    script = (
        "import sys\nfrom autograder.grade import similarity\nsimilarity.warm()\n"
        "print(sorted(m for m in ('matplotlib', 'copydetect.detector') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr[-500:]


def test_similarity_survives_hostile_notebooks(tmp_path):
    nested = "def f():\n    return " + "(" * 5000 + ")" * 5000 + "\n"
    nb = {"cells": [{"cell_type": "code", "source": nested}, {"cell_type": "code", "source": 7}]}
    (tmp_path / "a.ipynb").write_text(json.dumps(nb))
    (tmp_path / "b.ipynb").write_bytes(b"\xff\xfe not json")
    assert similarity.graded_code(tmp_path / "a.ipynb", ["f"]) == ""
    assert similarity.graded_code(tmp_path / "b.ipynb", ["f"]) == ""


def test_report_context_from_the_course_and_similarity_setting(built, course):
    ctx = report_html.context(built.autograder_zip.read_bytes(), course)
    assert ctx["title"] == TITLE and "cov_naive" in ctx["graded_functions"]
    assert ctx["threshold"] == course.grading.similarity == 0.8
    assert report_html.context(b"not a zip", course) == {"title": ""}
    with pytest.raises(ValidationError):
        GradingSettings.model_validate({"similarity": 1.5})


def test_hostile_code_and_names_stay_inert_in_the_report(tmp_path):
    body = "".join(f"    x{i} = '</pre><script>alert({i})</script>' * {i}\n" for i in range(12))
    evil = f"def f(a):\n{body}    return a\n"
    pairs = similarity.similar_pairs({"a": evil, "b": evil.replace("x", "y")}, (), 0.5)
    assert pairs and "<script>" not in pairs[0].code_a + pairs[0].code_b
    results = [
        {"submission": "odd #1?.html", "status": "timeout", "total": 1, "possible": 2,
         "questions": {"q1": {"score": 1, "possible": 2, "tests": "not a list"}},
         "seconds": 3.0},
        {"submission": "<b>x</b>", "status": "made-up", "questions": [], "cell_errors": "no"},
    ]  # fmt: skip
    path = report_html.write_report(tmp_path, results, ["q1"], {"q1": 2.0}, title="T")
    text = path.read_text()
    assert "href='feedback/odd%20%231%3F.html.html'" in text and "<b>x</b>" not in text
    assert (tmp_path / "feedback" / "odd #1?.html.html").is_file()
    assert "The report failed" not in text and text.count("<img class='figure'") == 3


def test_feedback_file_follows_the_batch_file_name(tmp_path):
    result = {"submission": "kate", "file": "kate-0123abcd", "status": "graded", "questions": {}}
    assert report.write_feedback(tmp_path, result).name == "kate-0123abcd.html"
    text = report_html.write_report(tmp_path, [result], [], {}).read_text()
    assert "href='feedback/kate-0123abcd.html'>kate</a>" in text
