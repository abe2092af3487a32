"""`mml check` ends by its deadline and on a signal, leaving nothing; bad input gets one line."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.validate.specimens import fill, reference_bodies

LOOP = ["while True:", "    pass"]


def start_mml(*args, tmp: Path, cwd=None) -> subprocess.Popen:
    """``mml`` in a subprocess as a terminal starts it (SIGINT not ignored), with a private
    TMPDIR so that every kernel file and folder it makes can be found afterwards."""
    env = dict(os.environ, TMPDIR=str(tmp))
    return subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def check_that_times_out(path: Path, tmp: Path) -> tuple[str, str]:
    """``mml check --timeout 5`` on a notebook that never ends: exit 2 within a few seconds
    of the deadline; its output."""
    start = time.monotonic()
    proc = start_mml("check", path, "--timeout", 5, tmp=tmp)
    out, err = finish(proc, 60)
    took = time.monotonic() - start
    assert proc.returncode == 2, out + err
    assert took < 5 + 8, f"took {took:.1f} s"
    return out, err


def finish(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """Its output; a run that outlives ``timeout`` fails the test and is killed."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise


def mml(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def processes_using(folder: Path) -> list[str]:
    """Command lines of live processes that mention ``folder`` (a kernel names its
    connection file, which lives in TMPDIR)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(folder) in cmd and "autograder.cli" not in cmd:
            found.append(cmd)
    return found


def assert_nothing_left(tmp: Path) -> None:
    deadline = time.monotonic() + 2  # a killed process may take a moment to be reaped
    while processes_using(tmp) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_using(tmp) == []
    assert sorted(p.name for p in tmp.iterdir()) == []


def student_notebook(built, folder: Path, bodies=None, extra_cell: str | None = None) -> Path:
    """The student folder in ``folder``; the notebook filled with ``bodies`` and, if given,
    ``extra_cell`` inserted as a top-level code cell just before the first question."""
    shutil.copytree(built.student_dir, folder)
    path = folder / built.student_notebook.name
    nb = nbformat.read(path, as_version=4)
    nb = fill(nb, bodies) if bodies else nb
    if extra_cell:
        first_question = next(k for k, c in enumerate(nb.cells) if c.metadata.get("question"))
        nb.cells.insert(first_question, nbformat.v4.new_code_cell(extra_cell))
    nbformat.write(nb, path)
    return path


@pytest.fixture
def private_tmp(tmp_path) -> Path:
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    return tmp


@pytest.mark.slow
def test_a_looping_function_stops_at_the_timeout_and_earlier_questions_still_count(
    built_toy, tmp_path, private_tmp
):
    course, built = built_toy
    bodies = {**reference_bodies(course.assignment("vectors")), "unit": LOOP}
    path = student_notebook(built, tmp_path / "student", bodies)
    out, err = check_that_times_out(path, private_tmp)
    assert "q1: passed all public tests" in out  # the question before the loop is reported
    assert "the public tests of q2 did not finish within the 5 s" in err
    assert "loop forever" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert_nothing_left(private_tmp)


@pytest.mark.slow
def test_a_top_level_infinite_loop_is_named_by_its_cell(built_toy, tmp_path, private_tmp):
    course, built = built_toy
    path = student_notebook(built, tmp_path / "student", extra_cell="while True:\n    pass")
    number = 1 + next(
        k
        for k, c in enumerate(nbformat.read(path, as_version=4).cells)
        if c.source.startswith("while True")
    )
    out, err = check_that_times_out(path, private_tmp)
    assert f"cell {number}, starting 'while True:' did not finish within the 5 s" in err
    assert_nothing_left(private_tmp)


@pytest.mark.slow
def test_a_cell_that_kills_the_kernel_is_named(built_toy, tmp_path, private_tmp):
    course, built = built_toy
    path = student_notebook(built, tmp_path / "student", extra_cell="import os\nos._exit(3)")
    proc = start_mml("check", path, "--timeout", 60, tmp=private_tmp)
    out, err = finish(proc, 60)
    assert proc.returncode == 2, out + err
    assert "the kernel died while running cell" in err and "starting 'import os'" in err
    assert len(err.strip().splitlines()) == 1
    assert_nothing_left(private_tmp)


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_looping_check_at_once(built_toy, tmp_path, private_tmp, signum, code):
    course, built = built_toy
    path = student_notebook(built, tmp_path / "student", extra_cell="while True:\n    pass")
    proc = start_mml("check", path, "--timeout", 120, tmp=private_tmp)
    deadline = time.monotonic() + 60
    while not processes_using(private_tmp) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_using(private_tmp), "the kernel never started"
    time.sleep(2)  # the kernel is now up and running the loop
    sent = time.monotonic()
    proc.send_signal(signum)
    out, err = finish(proc, 30)
    assert time.monotonic() - sent < 3
    assert proc.returncode == code, out + err
    assert err.strip().splitlines() == ["mml check: interrupted"]
    assert_nothing_left(private_tmp)


@pytest.mark.slow
def test_a_finished_notebook_leaves_nothing_behind(built_toy, tmp_path, private_tmp):
    course, built = built_toy
    path = student_notebook(
        built, tmp_path / "student", reference_bodies(course.assignment("vectors"))
    )
    proc = start_mml("check", path, "--timeout", 60, tmp=private_tmp)
    out, err = finish(proc, 90)
    assert proc.returncode == 0, out + err
    assert "2 of 2 questions pass" in out
    assert_nothing_left(private_tmp)


@pytest.mark.slow
def test_a_hanging_reference_notebook_fails_the_build(toy, private_tmp):
    manifest = toy / "course.yml"
    manifest.write_text(
        manifest.read_text().replace('  python: "3.11"', '  python: "3.11"\n  timeout: 5')
    )
    template = toy / "assignments/basics/vectors/notebook.py"
    template.write_text(
        template.read_text().replace(
            "# %%\nimport numpy", "# %%\nwhile True:\n    pass\n\n# %%\nimport numpy", 1
        )
    )
    start = time.monotonic()
    proc = start_mml("build", tmp=private_tmp, cwd=toy)
    out, err = finish(proc, 60)
    assert proc.returncode == 1, out + err
    assert time.monotonic() - start < 5 + 10
    assert "vectors: the reference notebook stopped at the cell starting 'while True:'" in err
    assert "did not finish within the 5 s" in err and "Traceback" not in err
    assert not (toy / "dist" / "vectors" / "student").exists()
    assert [p for p in private_tmp.iterdir() if p.name.startswith("mml-kernel-")] == []
    assert processes_using(private_tmp) == []


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    (d / "text.ipynb").write_text("hello, not JSON")
    (d / "empty.ipynb").write_text("{}")
    (d / "cells-not-a-list.ipynb").write_text(
        '{"cells": "x", "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, d / "plain.ipynb")
    (d / "folder").mkdir()
    (d / "a-file").write_text("")
    return d


BAD_INPUTS = {
    "unknown slug (build)": (["build", "no-such-slug"], "no assignment 'no-such-slug'"),
    "unknown slug (validate)": (
        ["validate", "no-such-slug", "--engine", "local"],
        "no assignment 'no-such-slug'",
    ),
    "--out is a file (build)": (["build", "--out", "{bad}/a-file"], "is a file, not a folder"),
    "--workers 0": (["validate", "--workers", "0"], "--workers: must be at least 1"),
    "--workers -3": (["validate", "--workers", "-3"], "--workers: must be at least 1"),
    "--workers two": (["validate", "--workers", "two"], "expected a whole number"),
    "unknown engine": (["validate", "--engine", "fast"], "invalid choice: 'fast'"),
    "missing notebook": (["check", "{bad}/nowhere.ipynb"], "no such file"),
    "a folder": (["check", "{bad}/folder"], "is a folder"),
    "not JSON": (["check", "{bad}/text.ipynb"], "is not a readable notebook"),
    "JSON, not a notebook": (["check", "{bad}/empty.ipynb"], "is not a readable notebook"),
    "malformed notebook": (["check", "{bad}/cells-not-a-list.ipynb"], "not a readable notebook"),
    "a notebook without tests": (["check", "{bad}/plain.ipynb"], "carries no tests"),
    "--timeout 0": (["check", "{bad}/plain.ipynb", "--timeout", "0"], "above 0, got '0'"),
    "--timeout -1": (["check", "{bad}/plain.ipynb", "--timeout", "-1"], "above 0, got '-1'"),
    "--timeout inf": (["check", "{bad}/plain.ipynb", "--timeout", "inf"], "above 0, got 'inf'"),
    "no notebook given": (["check"], "required: NOTEBOOK"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gets_one_line_and_a_nonzero_exit(case, toy, bad_files):
    args, expected = BAD_INPUTS[case]
    proc = mml(*(a.format(bad=bad_files) for a in args), cwd=toy)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], proc.stderr
    assert lines[0].startswith(f"mml {args[0]}: ")
    assert proc.stdout == ""


@pytest.mark.slow
def test_an_unknown_question_names_the_known_ones(built_toy, tmp_path):
    course, built = built_toy
    path = student_notebook(built, tmp_path / "student")
    proc = mml("check", path, "-q", "q9")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "mml check: no question q9; questions: q1, q2"


@pytest.mark.parametrize("command", ["build", "validate", "check"])
def test_help_describes_every_argument_with_defaults_and_examples(command):
    proc = mml(command, "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "examples:" in text and f"mml {command} " in text
    if command == "check":
        assert "(default: 300)" in text and "130: Ctrl-C" in text
    else:
        assert "<slug>/autograder/<slug>-autograder.zip" in text  # what --out will hold
        assert "(default: all in course.yml)" in text
    if command == "validate":
        assert "(default: 2)" in text and "(default: otter)" in text
