"""Every attack class earns nothing it should not, gets its status, and the batch goes on."""

# ruff: noqa: E501  (the attacks are notebook source held in long strings)

import os
import subprocess
from pathlib import Path

import pytest

from autograder.grade import grade
from autograder.grade.record import file_stem

from .conftest import export_zip, first_code_after, load_results, scores, with_cells, write

pytestmark = pytest.mark.slow  # builds with otter assign or runs otter/kernels

SOLUTION_DEFS = "solution_defs"


def _reference_defs(nb) -> str:
    """The answer cells of the reference notebook: what a cheat would like to obtain."""
    return "\n\n".join(
        c.source
        for c in nb.cells
        if c.cell_type == "code" and "otter_answer_cell" in c.metadata.get("tags", [])
    )


def _cheat_if(condition_code: str, defs: str) -> str:
    """A cell that defines the right answers only if ``condition_code`` sets ``got``."""
    return (
        f"got = False\ntry:\n{_indent(condition_code)}\nexcept Exception:\n    pass\n"
        f"if got:\n    exec({defs!r}, globals())"
    )


def _indent(code):
    return "\n".join("    " + line for line in code.splitlines())


@pytest.fixture(scope="module")
def batch(tmp_path_factory, built, settings, notebooks, course):
    ref, blank = notebooks["reference"], notebooks["blank"]
    defs = _reference_defs(ref)
    root = Path(course.root)
    d = tmp_path_factory.mktemp("attacks")
    subs = d / "subs"
    out = d / "out"
    solution = root / "solutions" / "pca" / "mean-covariance" / "solution.py"
    cases = {
        "control-reference": ref,
        "control-blank": blank,
        "monkeypatch-numpy": with_cells(
            blank,
            (
                "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
                "np.isclose = lambda a, b, *x, **k: np.ones(np.broadcast(a, b).shape, bool)\n"
                "np.array_equal = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                "def mean(X):\n    return np.zeros(X.shape[1])\n"
            ),
        ),
        "monkeypatch-builtins": with_cells(
            blank,
            (
                "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.abs = lambda x: 0\n"
                "builtins.AssertionError = type('Nope', (BaseException,), {})\n"
                "builtins.print = lambda *a, **k: None\n"
            ),
        ),
        "monkeypatch-otter": with_cells(
            blank,
            (
                "import otter\nfrom otter.test_files.abstract_test import TestFile\n"
                "TestFile.score = property(lambda self: self.possible)\n"
                "TestFile.passed_all = property(lambda self: True)\n"
            ),
            "import otter.test_files.exception_test as et\net.ExceptionTestFile.run = lambda *a: None\n",
        ),
        "monkeypatch-doctest": with_cells(
            blank,
            (
                "import doctest\ndoctest.DocTestRunner.run = lambda *a, **k: doctest.TestResults(0, 0)\n"
                "doctest.OutputChecker.check_output = lambda *a, **k: True\n"
            ),
        ),
        "lying-eq": with_cells(
            blank,
            (
                "class Liar:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
                "    def __bool__(self): return True\n    def __getattr__(self, n): return Liar()\n"
                "    def __call__(self, *a, **k): return Liar()\n"
                "    def __float__(self): return 0.0\n"
                "for _n in ['mean_naive', 'mean', 'cov_naive', 'cov', 'affine_mean', 'affine_covariance']:\n"
                "    globals()[_n] = lambda *a, **k: Liar()\n"
            ),
        ),
        "array-subclass": with_cells(
            blank,
            (
                "import numpy as np\nclass Sneaky(np.ndarray):\n"
                "    def __eq__(self, o): return np.ones(np.shape(o), bool)\n"
                "    def __array_function__(self, *a, **k): return True\n"
                "    def __array_ufunc__(self, *a, **k): return np.True_\n"
                "for _n in ['mean_naive', 'mean', 'cov_naive', 'cov', 'affine_mean', 'affine_covariance']:\n"
                "    globals()[_n] = lambda *a, **k: np.zeros(3).view(Sneaky)\n"
            ),
        ),
        "forged-fds": with_cells(
            blank,
            (
                "import os, json, struct\n"
                "body = json.dumps({'op': 'done', 'errors': [], 'score': 100}).encode()\n"
                "msg = struct.pack('!IIQ', len(body), 0, 0) + body\n"
                "for fd in range(0, 256):\n    try:\n        os.write(fd, msg)\n    except OSError:\n"
                "        pass\n"
                "open('/tmp/results.json', 'w').write(json.dumps({'tests': [], 'score': 100}))\n"
            ),
        ),
        "read-solution": with_cells(
            blank, _cheat_if(f"src = open({str(solution)!r}).read()\ngot = 'def cov' in src", defs)
        ),
        "read-zip-and-dist": with_cells(
            blank,
            _cheat_if(
                f"import zipfile\nz = zipfile.ZipFile({str(built.autograder_zip)!r})\n"
                "got = bool(z.read('tests/q1.py'))",
                defs,
            ),
        ),
        "read-other-submission": with_cells(
            blank,
            _cheat_if(
                f"import json\nnb = json.load(open({str(subs / 'control-reference.ipynb')!r}))\n"
                "got = bool(nb['cells'])",
                defs,
            ),
        ),
        "read-output-folder": with_cells(
            blank,
            _cheat_if(
                f"import os\ngot = bool(os.listdir({str(out)!r}) + os.listdir({str(out / 'results')!r}))",
                defs,
            ),
        ),
        "read-memory": with_cells(
            blank,
            _cheat_if(
                "import os, gc\n"
                "found = [o for o in gc.get_objects() if type(o).__name__ in ('test_case', 'TestFile')]\n"
                "for pid in [os.getppid(), 1] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
                "    try:\n        open(f'/proc/{pid}/mem', 'rb').read(1)\n        found.append(pid)\n"
                "    except Exception:\n        pass\n"
                "got = bool(found)",
                defs,
            ),
        ),
        "network": with_cells(
            blank,
            _cheat_if(
                "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=2)\ngot = True",
                defs,
            ),
        ),
        "infinite-loop": with_cells(
            ref, "while True:\n    pass", where=first_code_after(ref, 'grader.check("q2")')
        ),
        "sleep": with_cells(ref, "import time\ntime.sleep(10**6)", where=1),
        "memory-flood": with_cells(
            ref,
            "hog = bytearray(64 * 2**30)",
            "hog = [bytearray(2**27) for _ in range(1000)]",
            where=1,
        ),
        "fork-flood": with_cells(
            blank,
            (
                "import os, time\nfor _ in range(10000):\n    try:\n        os.fork()\n"
                "    except OSError:\n        break\ntime.sleep(10**6)"
            ),
            where=1,
        ),
        "os-exit": with_cells(
            ref, "import os\nos._exit(0)", where=first_code_after(ref, 'grader.check("q1")')
        ),
        "sys-exit": with_cells(ref, "import sys\nsys.exit(3)", where=1),
        "huge-output": with_cells(
            ref, "print('x' * 10**8)\nfor i in range(10**5):\n    print(i)", where=1
        ),
        "cell-raises": with_cells(ref, "raise ValueError('boom')", where=1),
        "magics": with_cells(
            ref,
            "%matplotlib inline\n!pip install nothing\nfiles = !ls\n%time t = 1",
            "%%time\nu = 2",
            "%%bash\ntouch bash-ran.txt",
            "import os\nassert not os.path.exists('bash-ran.txt'), 'the bash cell ran'",
            "%load_ext autoreload\n%autoreload 2",
            where=1,
        ),
    }
    for name, nb in cases.items():
        # named as the built notebook in its own folder, so grader.check runs where it stands
        folder = subs / name if name in ("infinite-loop", "os-exit") else subs
        write(nb, folder / ("mean-covariance.ipynb" if folder != subs else f"{name}.ipynb"))
    (subs / "not-json.ipynb").write_text("this is not a notebook {")
    (subs / "empty.ipynb").write_bytes(b"")
    (subs / "json-list.ipynb").write_text("[1, 2, 3]")
    (subs / "corrupt.zip").write_bytes(b"PK\x03\x04 broken")
    export_zip(ref, subs / "exported.zip")
    code = grade(built.autograder_zip, [subs], out, settings, workers=2)
    results = load_results(out)
    by_source = {
        Path(r["source"]).parent.name: r
        for r in results.values()
        if Path(r["source"]).name == "mean-covariance.ipynb"
    }
    for r in results.values():
        if Path(r["source"]).name != "mean-covariance.ipynb":
            by_source[r["submission"]] = r
    return {
        "code": code,
        "results": by_source,
        "out": out,
        "full": results_total(by_source["control-reference"]),
    }


def results_total(r):
    return r["total"]


@pytest.mark.parametrize(
    "name",
    [
        "monkeypatch-numpy",
        "monkeypatch-builtins",
        "monkeypatch-otter",
        "monkeypatch-doctest",
        "lying-eq",
        "array-subclass",
        "forged-fds",
        "read-solution",
        "read-zip-and-dist",
        "read-other-submission",
        "read-output-folder",
        "read-memory",
        "network",
        "fork-flood",
    ],
)
def test_attack_earns_nothing(batch, name):
    r = batch["results"][name]
    assert r["total"] == 0, (name, r["status"], scores(r))
    assert r["status"] in ("graded", "crashed", "timeout", "memory")


def test_controls_are_intact(batch):
    res = batch["results"]
    assert res["control-reference"]["status"] == "graded"
    assert res["control-reference"]["total"] == res["control-reference"]["possible"] > 0
    assert res["control-blank"]["total"] == 0
    assert res["exported"]["total"] == batch["full"] and res["exported"]["status"] == "graded"
    assert batch["code"] == 0


def test_timeouts_keep_what_was_earned(batch):
    loop = batch["results"]["infinite-loop"]
    assert loop["status"] == "timeout"
    assert scores(loop)["q1"] == 1 and scores(loop)["q2"] == 1  # checked before the loop
    assert scores(loop)["q3"] == 0
    assert batch["results"]["sleep"]["status"] == "timeout"
    assert batch["results"]["sleep"]["total"] == 0


def test_memory_flood(batch):
    r = batch["results"]["memory-flood"]
    assert r["status"] == "memory"
    assert r["total"] == batch["full"]  # the flood cell failed; the answers still count


def test_crashes_and_exits(batch):
    r = batch["results"]["os-exit"]
    assert r["status"] == "crashed"
    assert scores(r)["q1"] == 1 and r["total"] == 1  # only q1 was checked before os._exit
    errors = batch["results"]["magics"]["cell_errors"]
    assert not [e for e in errors if "the bash cell ran" in e[2]], "a %%bash cell ran"
    for name in ("sys-exit", "cell-raises", "huge-output", "magics"):
        r = batch["results"][name]
        assert r["status"] == "graded", name
        assert r["total"] == batch["full"], name
    assert any(e[1] == "ValueError" for e in batch["results"]["cell-raises"]["cell_errors"])


def test_invalid_files(batch):
    for name in ("not-json", "empty", "json-list", "corrupt"):
        r = batch["results"][name]
        assert r["status"] == "invalid", name
        assert r["total"] == 0 and r["possible"] > 0


def test_no_process_outlives_the_batch(batch):
    ps = subprocess.run(["ps", "-eo", "uid=,cmd="], capture_output=True, text=True).stdout
    sandbox = [
        line
        for line in ps.splitlines()
        if 61000 <= int(line.split()[0]) < 65000 or "autograder.grade.zygote" in line
    ]
    assert not sandbox, sandbox


def test_scores_csv_and_feedback(batch):
    out = batch["out"]
    lines = (out / "scores.csv").read_text().splitlines()
    assert lines[0] == "submission,status,q1,q2,q3,q4,q5,total,possible,source"
    names = [line.split(",")[0] for line in lines[1:]]
    assert names == sorted(names) and len(names) == len(batch["results"])
    html = (out / "feedback" / f"{file_stem('control-blank')}.html").read_text()
    assert "hidden test" in html and "def test_" not in html
    assert (out / "summary.json").exists() and (out / "summary.md").exists()
    assert oct(os.stat(out / "results").st_mode)[-3:] == "700"
