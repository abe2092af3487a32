"""``mml grade`` against ``otter run``; resume after a kill; zips; Dask; the CLI entry point."""

import dataclasses
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.grade import grade
from autograder.grade.record import file_stem
from autograder.validate import specimens
from autograder.validate.otter_engine import otter_run

from .conftest import SLUG, export_zip, load_results, scores, with_cells, write

pytestmark = pytest.mark.slow  # builds with otter assign or runs otter/kernels


def _partly_right(course):
    """The reference for the first questions, blank stubs for the rest."""
    a = course.assignment(SLUG)
    bodies = specimens.reference_bodies(a)
    keep = {f for q in a.questions[:2] for f in q.functions}
    partial = {k: v for k, v in bodies.items() if k in keep}
    return specimens.fill(specimens.blank_submission(course, SLUG), partial)


def test_scores_equal_otter_run(tmp_path, course, built, settings, notebooks):
    ref = notebooks["reference"]
    honest = {
        "reference": ref,
        "blank": notebooks["blank"],
        "partly-right": _partly_right(course),
        "raises-early": with_cells(ref, "raise RuntimeError('a cell that fails')", where=2),
        # every hand-written mutant: the course tests grade mutants with this grader only
        **{k: nb for k, nb in notebooks.items() if k.startswith("mutant-")},
    }
    paths = [write(nb, tmp_path / "subs" / f"{k}.ipynb") for k, nb in honest.items()]
    paths.append(write(ref, tmp_path / "subs" / "own" / f"{SLUG}.ipynb"))  # checks run in place
    assert grade(built.autograder_zip, [tmp_path / "subs"], tmp_path / "out", settings, 2) == 0
    mine = {Path(r["source"]): r for r in load_results(tmp_path / "out").values()}
    with ThreadPoolExecutor(2) as ex:
        theirs = dict(zip(paths, ex.map(lambda p: otter_run(built.autograder_zip, p), paths)))
    for p in paths:
        assert mine[p]["status"] == "graded"
        got, want = scores(mine[p]), theirs[p]
        assert set(got) == set(want), p
        for q in want:
            assert got[q] == pytest.approx(want[q], abs=1e-4), (p.name, q, got, want)


def _batch(tmp_path, notebooks, n=10) -> Path:
    subs = tmp_path / "subs"
    names = ["reference", "blank", *sorted(k for k in notebooks if k.startswith("mutant"))][:n]
    for k in names:
        write(notebooks[k], subs / f"{k}.ipynb")
    return subs


def test_resume_after_kill(tmp_path, built, settings, notebooks):
    subs = _batch(tmp_path, notebooks)
    full = tmp_path / "full"
    grade(built.autograder_zip, [subs], full, settings, 2)
    out = tmp_path / "out"
    code = (
        f"import sys; from pathlib import Path; from autograder.grade import grade; "
        f"grade(Path({str(built.autograder_zip)!r}), [Path({str(subs)!r})], "
        f"Path({str(out)!r}), {dataclasses.asdict(settings)!r}, 1)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "results").glob("*.json"))) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # the grader dies mid-batch; its helpers follow it
    proc.wait()
    done = len(list((out / "results").glob("*.json")))
    assert 3 <= done < 10
    assert grade(built.autograder_zip, [subs], out, settings, 2) == 0
    assert (out / "scores.csv").read_text() == (full / "scores.csv").read_text()
    # a rerun with nothing new grades nothing, and a changed file is graded again
    before = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    write(notebooks["blank"], subs / "reference.ipynb")
    grade(built.autograder_zip, [subs], out, settings, 2)
    after = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert [k for k in before if before[k] != after[k]] == [f"{file_stem('reference')}.json"]
    assert load_results(out)["reference"]["total"] == 0


def test_zip_exports_and_duplicate_names(tmp_path, built, settings, notebooks):
    ref = notebooks["reference"]
    export_zip(ref, tmp_path / "a" / "alice.zip")
    export_zip(notebooks["blank"], tmp_path / "b" / "alice.zip")
    write(ref, tmp_path / "c" / "bob.ipynb")
    grade(
        built.autograder_zip,
        [tmp_path / "a", tmp_path / "b", tmp_path / "c"],
        tmp_path / "out",
        settings,
        1,
    )
    res = load_results(tmp_path / "out")
    assert sorted(res) == sorted(["bob", *[n for n in res if n.startswith("alice~")]])
    assert len(res) == 3
    by_dir = {Path(r["source"]).parent.name: r["total"] for r in res.values()}
    assert by_dir == {"a": res["bob"]["possible"], "b": 0, "c": res["bob"]["possible"]}


def test_dask_scheduler(tmp_path, built, settings, notebooks):
    from distributed import LocalCluster

    subs = _batch(tmp_path, notebooks, n=4)
    grade(built.autograder_zip, [subs], tmp_path / "local", settings, 2)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        assert (
            grade(
                built.autograder_zip,
                [subs],
                tmp_path / "dask",
                settings,
                scheduler=cluster.scheduler_address,
            )
            == 0
        )
    assert (tmp_path / "dask" / "scores.csv").read_text() == (
        tmp_path / "local" / "scores.csv"
    ).read_text()


def test_main_entry_point(tmp_path, course, course_dist, built, notebooks, capsys):
    from autograder.grade import main

    write(notebooks["reference"], tmp_path / "subs" / "one.ipynb")
    nbformat.write(notebooks["blank"], tmp_path / "subs" / "two.ipynb")
    assert (
        main(
            SLUG,
            [tmp_path / "subs"],
            tmp_path / "out",
            workers=1,
            timeout=20,
            scheduler=None,
            course=course,
            dist=course_dist,
        )
        == 0
    )
    lines = (tmp_path / "out" / "scores.csv").read_text().splitlines()
    assert lines[1].startswith("one,graded,") and lines[2].startswith("two,graded,0,")
    assert "submissions: 2 graded" in capsys.readouterr().err
