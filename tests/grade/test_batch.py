"""The batch always completes: hostile names and messages, resume, regrade, dead judges, CLI."""

import csv
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder.grade import grade
from autograder.grade.record import file_stem

from .conftest import SLUG, load_results, scores, with_cells, write

pytestmark = pytest.mark.slow  # grades for real (needs the built assignment)

ROOT = Path(__file__).resolve().parents[2]

SURROGATE = (
    "def mean(X):\n    raise ValueError(chr(0xdcff) + ' lone surrogate')\n"
    "raise ValueError(chr(0xdcff))"
)
# The child's own channel, found through gc, used to report forged cell errors, then to
# serve the judge as if nothing happened.
FORGED_CELLS = """
import gc
srv = next(o for o in gc.get_objects() if type(o).__name__ == "Server" and hasattr(o, "sock"))
srv.send({"op": "done", "memory": False, "errors": [
    ["x", "E", "not an index"], [-1, "E", "negative"], [2**70, "E", "huge"],
    [10**12, "E", "far"], [1, "E" + chr(0xdcff), "forged" + chr(0xdcff)], "junk"]})
srv.serve(until=())
"""
HOSTILE_NAMES = ['=HYPERLINK("http:evil","y")', "@SUM(1+1)", "+cmd|' calc'!A0", "-2+3"]
LONG = "x" * 245


@pytest.fixture(scope="module")
def batch(tmp_path_factory, built, settings, notebooks):
    ref, blank = notebooks["reference"], notebooks["blank"]
    d = tmp_path_factory.mktemp("batch")
    subs, out = d / "subs", d / "out"
    cases = {  # identity -> notebook
        "control-reference": ref,
        "control-blank": blank,
        "surrogate": with_cells(blank, SURROGATE),
        "forged-cells": with_cells(blank, FORGED_CELLS),
        LONG: ref,
        "nick": ref,  # subs/nick/<slug>.ipynb
        HOSTILE_NAMES[0]: blank,
        HOSTILE_NAMES[1]: ref,
        HOSTILE_NAMES[2]: blank,
        HOSTILE_NAMES[3]: ref,
    }
    for name, nb in cases.items():
        write(nb, subs / "nick" / f"{SLUG}.ipynb" if name == "nick" else subs / f"{name}.ipynb")
    # two files of one identity, and a third whose stem is one of their disambiguated names
    a = write(ref, subs / "a" / "alice.ipynb")
    write(blank, subs / "b" / "alice.ipynb")
    crafted = "alice~" + hashlib.sha256(os.fsencode(a.resolve())).hexdigest()[:8]
    write(blank, subs / "evil" / f"{crafted}.ipynb")
    # a renamed notebook (an LMS download) and the same under its own name, both timing out
    # at the end: questions checked before keep their points only if the checks ran in place
    slow = with_cells(ref, "while True:\n    pass")
    write(slow, subs / "kate-renamed.ipynb")
    write(slow, subs / "kate" / f"{SLUG}.ipynb")
    start = time.monotonic()
    code = grade(built.autograder_zip, [subs], out, settings, 2)
    return dict(subs=subs, out=out, code=code, crafted=crafted, wall=time.monotonic() - start)


def _rows(out: Path) -> list[dict]:
    with open(out / "scores.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_hostile_messages_end_as_a_status_and_innocents_keep_scores(batch):
    assert batch["code"] == 0
    res = load_results(batch["out"])
    full = res["control-reference"]["possible"]
    assert res["control-reference"]["total"] == full and res["control-blank"]["total"] == 0
    for name in (LONG, "nick", HOSTILE_NAMES[1], HOSTILE_NAMES[3]):
        assert res[name]["total"] == full and res[name]["status"] == "graded", name
    sur = res["surrogate"]
    assert sur["status"] == "graded" and sur["total"] == 0
    assert any("\ufffd" in e[2] for e in sur["cell_errors"])
    forged = res["forged-cells"]
    assert forged["status"] in ("graded", "crashed") and forged["total"] == 0
    assert all(isinstance(e[0], int) and 0 <= e[0] < 1_000_000 for e in forged["cell_errors"])
    for r in res.values():  # every result has its feedback page, readable as UTF-8
        page = batch["out"] / "feedback" / f"{r['file']}.html"
        page.read_text(encoding="utf-8")
    assert (batch["out"] / "summary.json").is_file()


def test_names_never_collide_and_long_stems_work(batch):
    res = load_results(batch["out"])
    files = list((batch["out"] / "results").glob("*.json"))
    n_files = len(list(batch["subs"].rglob("*.ipynb")))
    assert len(res) == len(files) == n_files == 15
    by_source = {Path(r["source"]).relative_to(batch["subs"].resolve()): r for r in res.values()}
    full = res["control-reference"]["possible"]
    assert by_source[Path("a/alice.ipynb")]["total"] == full
    assert by_source[Path("b/alice.ipynb")]["total"] == 0
    crafted = by_source[Path(f"evil/{batch['crafted']}.ipynb")]
    assert crafted["total"] == 0 and crafted["submission"] == batch["crafted"]
    assert len({r["submission"] for r in res.values()}) == 15
    assert all(len(p.name.encode()) < 100 for p in files)


def test_scores_csv_neutralises_formulas_keeps_numbers_and_sources(batch):
    rows = _rows(batch["out"])
    assert list(rows[0])[:2] == ["submission", "status"]
    assert list(rows[0])[-3:] == ["total", "possible", "source"]
    names = {r["submission"] for r in rows}
    for n in HOSTILE_NAMES:
        assert "'" + n in names and n not in names
    for r in rows:
        assert not r["submission"].startswith(("=", "+", "-", "@"))
        float(r["total"]), float(r["possible"])  # numbers stay numbers
        assert Path(r["source"].lstrip("'")).is_file()


def test_renamed_notebook_scores_like_the_original(batch):
    res = load_results(batch["out"])
    renamed, original = res["kate-renamed"], res["kate"]  # kate/<slug>.ipynb keeps the folder
    assert renamed["status"] == original["status"] == "timeout"
    assert scores(renamed) == scores(original)
    assert renamed["total"] == res["control-reference"]["possible"]
    assert not any("FileNotFoundError" in e[1] for e in renamed["cell_errors"])


def test_corrupt_results_are_regraded_on_resume(batch, built, settings, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    results = out / "results"
    broken = results / f"{file_stem('control-blank')}.json"
    broken.write_text('{"submission": "control-blank", ')
    inflated = results / f"{file_stem('surrogate')}.json"
    r = json.loads(inflated.read_text())
    r["questions"]["q1"]["score"] = 100.0  # more than possible, and the totals disagree
    inflated.write_text(json.dumps(r))
    before = {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")}
    assert grade(built.autograder_zip, [batch["subs"]], out, settings, 2) == 0
    after = {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")}
    assert sorted(k for k in before if before[k] != after[k]) == sorted(
        [broken.name, inflated.name]
    )
    res = load_results(out)
    assert res["control-blank"]["total"] == 0 and res["surrogate"]["total"] == 0
    assert _rows(out) == _rows(batch["out"])


def test_regrading_one_keeps_every_row(batch, built, settings, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    one = batch["subs"] / "control-blank.ipynb"
    before = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    # without --regrade: nothing graded, and the gradebook still holds everyone
    assert grade(built.autograder_zip, [one], out, settings, 1) == 0
    assert _rows(out) == _rows(batch["out"])
    assert grade(built.autograder_zip, [one], out, settings, 1, regrade=["control-blank"]) == 0
    after = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert [k for k in before if before[k] != after[k]] == [f"{file_stem('control-blank')}.json"]
    assert _rows(out) == _rows(batch["out"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["submissions"] == 15
    again = grade(
        built.autograder_zip, [one, batch["subs"] / "surrogate.ipynb"], out, settings, 1, force=True
    )
    assert again == 0
    final = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert sorted(k for k in after if after[k] != final[k]) == sorted(
        f"{file_stem(n)}.json" for n in ("control-blank", "surrogate")
    )
    assert _rows(out) == _rows(batch["out"])


def test_grade_uses_the_build_it_is_given(tmp_path, course, course_dist, built, notebooks):
    from autograder.grade import main

    dist = tmp_path / "elsewhere"
    shutil.copytree(course_dist / SLUG, dist / SLUG)
    write(notebooks["reference"], tmp_path / "subs" / "one.ipynb")
    err = tmp_path / "err.txt"
    with err.open("w") as stream:
        code = main(
            SLUG,
            [tmp_path / "subs"],
            tmp_path / "out",
            workers=1,
            course=course,
            dist=dist,
            stream=stream,
        )
    assert code == 0, err.read_text()
    assert _rows(tmp_path / "out")[0]["total"] == _rows(tmp_path / "out")[0]["possible"]
    (dist / SLUG / ".build-stamp").write_text("an older build\n")
    with err.open("w") as stream:
        code = main(
            SLUG, [tmp_path / "subs"], tmp_path / "out2", course=course, dist=dist, stream=stream
        )
    assert code == 2 and not (tmp_path / "out2").exists()
    assert f"out of date: run `mml build {SLUG} --out {dist}` first" in err.read_text()


def _judge_pids(exclude=()) -> list[int]:
    return [p.pid for p in multiprocessing.active_children() if p.pid not in exclude]


def test_a_dead_judge_is_replaced_and_charged_to_its_submission(
    tmp_path, built, settings, notebooks
):
    subs = tmp_path / "subs"
    write(with_cells(notebooks["blank"], "import time\ntime.sleep(5)"), subs / "a-sleeper.ipynb")
    write(notebooks["reference"], subs / "b-reference.ipynb")
    write(notebooks["blank"], subs / "c-blank.ipynb")
    done = {}
    t = threading.Thread(
        target=lambda: done.update(
            code=grade(built.autograder_zip, [subs], tmp_path / "out", settings, 1)
        )
    )
    before = set(_judge_pids())
    t.start()
    killed, limits = [], ""
    deadline = time.monotonic() + 60
    while len(killed) < 2 and time.monotonic() < deadline:
        pids = _judge_pids(before | set(killed))
        if not pids:
            time.sleep(0.05)
            continue
        time.sleep(0.5)  # the sleeper is in this judge's hands from its first moment
        if not limits:
            limits = Path(f"/proc/{pids[0]}/limits").read_text()
        os.kill(pids[0], signal.SIGKILL)
        killed.append(pids[0])
    t.join(120)
    assert len(killed) == 2 and done["code"] == 0
    res = load_results(tmp_path / "out")
    assert res["a-sleeper"]["status"] == "crashed"
    assert "judge process died" in res["a-sleeper"]["detail"]
    assert res["b-reference"]["status"] == res["c-blank"]["status"] == "graded"
    assert res["b-reference"]["total"] == res["b-reference"]["possible"]
    assert res["c-blank"]["total"] == 0
    line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
    assert line.split()[3] == str(settings.judge_memory_mb * 2**20)  # the judge's own limit


def test_dask_worker_killed_mid_batch_leaves_no_bystander_error(
    tmp_path, built, settings, notebooks
):
    """One worker, so tasks hold two submissions each; Dask gives up on a task at its first
    lost worker (allowed-failures 0), so the batch's own retry (one task per submission)
    is what saves the bystanders."""
    import dask
    from distributed import Client, LocalCluster

    subs = tmp_path / "subs"
    names = ["reference", "blank", *sorted(k for k in notebooks if k.startswith("mutant"))][:8]
    for k in names:
        write(notebooks[k], subs / f"{k}.ipynb")
    assert grade(built.autograder_zip, [subs], tmp_path / "local", settings, 2) == 0
    out = tmp_path / "dask"
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster.scheduler_address) as client,
    ):
        done = {}
        t = threading.Thread(
            target=lambda: done.update(
                code=grade(
                    built.autograder_zip,
                    [subs],
                    out,
                    settings,
                    scheduler=cluster.scheduler_address,
                )
            )
        )
        t.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list((out / "results").glob("*.json")):
            time.sleep(0.05)
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)
        t.join(300)
    assert done["code"] == 0
    res = load_results(out)
    assert len(res) == len(names)
    assert all(r["status"] == "graded" for r in res.values())
    assert _rows(out) == _rows(tmp_path / "local")


def _mml(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "autograder.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return p, time.monotonic() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_bad_input_is_one_line_and_non_zero(tmp_path, course_dist, built, notebooks):
    (tmp_path / "empty").mkdir()
    subs = tmp_path / "subs"
    write(notebooks["blank"], subs / "one.ipynb")
    (tmp_path / "a-file").write_text("x")
    grade_ = ["grade", SLUG]
    # after the subcommand: accepted; --dist: the suite's build (never the repository's dist/)
    course = ["--course", str(ROOT), "--dist", str(course_dist)]
    out = ["--out", str(tmp_path / "out")]
    cases = {
        "empty folder": [*grade_, "empty", *out, *course],
        "missing path": [*grade_, "nope", *out, *course],
        "workers 0": [*grade_, "subs", *out, "--workers", "0", *course],
        "workers -3": [*grade_, "subs", *out, "--workers", "-3", *course],
        "timeout 0": [*grade_, "subs", *out, "--timeout", "0", *course],
        "timeout -1": [*grade_, "subs", *out, "--timeout", "-1", *course],
        "timeout nan": [*grade_, "subs", *out, "--timeout", "nan", *course],
        "scheduler nonsense": [*grade_, "subs", *out, "--scheduler", "nonsense", *course],
        "nobody listening": [
            *grade_,
            "subs",
            *out,
            "--scheduler",
            f"tcp://127.0.0.1:{_free_port()}",
            *course,
        ],
        "not built": [*grade_, "subs", *out, *course, "--dist", str(tmp_path / "nodist")],
        "out is a file": [*grade_, "subs", "--out", str(tmp_path / "a-file"), *course],
        "unknown regrade": [*grade_, "subs", *out, "--regrade", "nobody", *course],
        "unknown slug": ["grade", "no-such-slug", "subs", *out, *course],
    }
    for what, args in cases.items():
        p, took = _mml(*args, cwd=tmp_path)
        lines = p.stderr.strip().splitlines()
        assert p.returncode == 2, (what, p.stderr)
        assert len(lines) == 1 and "Traceback" not in p.stderr, (what, p.stderr)
        assert took < 30, (what, took)
        if what == "not built":
            assert f"mml build {SLUG} --out" in lines[0]
        if what == "empty folder":
            assert "no submissions" in lines[0]
    assert not (tmp_path / "out" / "scores.csv").exists()


def test_grade_help_describes_everything(tmp_path):
    p, _ = _mml("grade", "--help", cwd=tmp_path)
    assert p.returncode == 0
    for word in (
        "--out",
        "--workers",
        "--timeout",
        "--scheduler",
        "--dist",
        "--regrade",
        "--force",
        "--course",
        "scores.csv",
        "feedback/",
        "results/",
        "examples:",
        "default",
    ):
        assert word in p.stdout, word


def test_ctrl_c_keeps_what_is_done_and_a_rerun_finishes(tmp_path, course_dist, built, notebooks):
    subs = tmp_path / "subs"
    for k in range(12):
        write(notebooks["reference" if k % 2 else "blank"], subs / f"s{k:02d}.ipynb")
    out = tmp_path / "out"
    args = ["grade", SLUG, str(subs), "--out", str(out), "--course", str(ROOT), "--workers", "1"]
    args += ["--dist", str(course_dist)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", *args],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "results").glob("*.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "interrupted" in err.splitlines()[-1]
    done = _rows(out)
    assert 2 <= len(done) < 12 and all(r["status"] == "graded" for r in done)
    p, _ = _mml(*args, cwd=tmp_path)
    assert p.returncode == 0 and len(_rows(out)) == 12
