"""Every attack class earns nothing it should not, gets its status, and the batch goes on."""

# ruff: noqa: E501  (the attacks are notebook source held in long strings)

import copy
import json
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from autograder.grade import grade, load
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
        "control-blank": notebooks["blank"],
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


# -- the trust boundary: attacks on the judge itself ----------------------------------------

GRADED = "['mean_naive', 'mean', 'cov_naive', 'cov', 'affine_mean', 'affine_covariance']"
# The child's own channel to the judge, found the way an attacker would find it.
CHANNEL = (
    "import gc, json, os, socket, struct\n"
    "chan = [o for o in gc.get_objects() if isinstance(o, socket.socket) and o.fileno() >= 0][0]\n"
    "def forge(header, blob=b''):\n"
    "    body = json.dumps(header).encode()\n"
    "    tail = struct.pack('!Q', len(blob)) + blob if blob else b''\n"
    "    chan.sendall(struct.pack('!IIQ', len(body), 1 if blob else 0, len(blob)) + body + tail)\n"
)


def without_checks(nb):
    """The notebook without its grader.check cells, as a student may leave it: every question
    is then tested by Otter's final check, after the cells an attack appends (with the checks
    in place, the questions are tested before those cells run)."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "grader.check(" not in c.source]
    return nb


@pytest.fixture(scope="module")
def boundary(tmp_path_factory, built, settings, notebooks):
    ref, blank = notebooks["reference"], without_checks(notebooks["blank"])
    d = tmp_path_factory.mktemp("boundary")
    subs, out = d / "subs", d / "out"
    cases = {
        "control-reference": ref,
        "control-blank": notebooks["blank"],
        # the judge would have imported a module of the child's choosing (this one exits)
        "module-by-name": with_cells(
            blank,
            f"import types\nfor _n in {GRADED}:\n"
            "    globals()[_n] = types.ModuleType('numpy.f2py.__main__')",
        ),
        "lone-surrogates": with_cells(
            blank,
            f"def _boom(*a, **k):\n    raise ValueError('\\udcff')\nfor _n in {GRADED}:\n"
            "    globals()[_n] = _boom\n",
            "raise ValueError('\\udcff \\ud800')",
        ),
        "unhashable-question": with_cells(blank, CHANNEL + "forge({'op': 'check', 'q': ['q1']})"),
        "forged-cell-error": with_cells(
            blank, CHANNEL + "forge({'op': 'done', 'errors': [[10**9, 'X', 'y']]})"
        ),
        "colliding-set": with_cells(  # 120,000 ints of one hash, forged (building it is slow)
            blank,
            CHANNEL + "def _set(*a, **k):\n"
            "    forge({'op': 'return', 'value': {'s': [k * (2**61 - 1) for k in range(1, 120001)]}})\n"
            "    os._exit(0)\n"
            f"for _n in {GRADED}:\n    globals()[_n] = _set\n",
        ),
        "amplified-blob": with_cells(
            blank,
            CHANNEL + "def _amp(*a, **k):\n"
            "    forge({'op': 'return', 'value': {'l': [{'b': 0}] * 96}}, bytes(32 * 2**20))\n"
            "    os._exit(0)\n"
            f"for _n in {GRADED}:\n    globals()[_n] = _amp\n",
        ),
        "disk-flood": with_cells(
            ref, "for i in range(3):\n    open(f'flood{i}', 'wb').write(bytes(60 * 2**20))", where=1
        ),
        "blank-lines": with_cells(ref, "\n" * 300_000 + "x = 1", where=1),
    }
    for name, nb in cases.items():
        write(nb, subs / f"{name}.ipynb")
    big = with_cells(ref, "# " + "x" * (51 * 2**20))
    write(big, subs / "too-big.ipynb")
    start = time.monotonic()
    code = grade(built.autograder_zip, [subs], out, settings, workers=2)
    return {
        "code": code,
        "results": load_results(out),
        "out": out,
        "wall": time.monotonic() - start,
    }


def test_boundary_batch_completes_and_innocents_keep_their_scores(boundary):
    res = boundary["results"]
    assert boundary["code"] == 0
    assert res["control-reference"]["total"] == res["control-reference"]["possible"] > 0
    assert res["control-blank"]["total"] == 0
    lines = (boundary["out"] / "scores.csv").read_text().splitlines()
    assert len(lines) == 1 + len(res)
    for name in res:
        assert (boundary["out"] / "feedback" / f"{file_stem(name)}.html").exists(), name


@pytest.mark.parametrize(
    "name, status, why",
    [
        ("module-by-name", "graded", None),
        ("lone-surrogates", "graded", None),
        ("unhashable-question", "crashed", "broke the protocol: 'q' of a 'check' message"),
        ("forged-cell-error", "crashed", "broke the protocol: a cell error names no cell"),
        ("colliding-set", "crashed", "broke the protocol: integer key too large"),
        ("amplified-blob", "crashed", "broke the protocol: decoded values too large"),
    ],
)
def test_boundary_attack_earns_nothing(boundary, name, status, why):
    r = boundary["results"][name]
    assert r["total"] == boundary["results"]["control-blank"]["total"] == 0, (name, scores(r))
    assert r["status"] == status, (name, r["status"], r["detail"])
    if why:
        assert r["detail"].startswith(why), r["detail"]
    assert r["seconds"] < 6, name  # decided well within the submission's time limit
    json.dumps(r, ensure_ascii=False).encode("utf-8")  # every text is valid UTF-8


def test_lone_surrogates_are_replaced(boundary):
    r = boundary["results"]["lone-surrogates"]
    assert any("\ufffd" in e[2] for e in r["cell_errors"]), r["cell_errors"]
    page = boundary["out"] / "feedback" / f"{file_stem('lone-surrogates')}.html"
    html = page.read_text(encoding="utf-8")
    assert "\udcff" not in html


def test_disk_quota_covers_all_files(boundary):
    r = boundary["results"]["disk-flood"]
    assert r["status"] == "graded" and r["total"] == r["possible"]  # the rest still counts
    assert any("No space left" in e[2] for e in r["cell_errors"]), r["cell_errors"]


def test_hostile_notebook_text(boundary):
    res = boundary["results"]
    assert res["blank-lines"]["status"] == "graded"
    assert res["blank-lines"]["total"] == res["blank-lines"]["possible"]
    assert res["blank-lines"]["seconds"] < 6
    assert res["too-big"]["status"] == "invalid" and "50 MB" in res["too-big"]["detail"]


SPECIAL = "special-matrices"
DET_FREE = (
    "def is_singular(A, tol=1e-12):\n    return bool(abs({call}(np.array(A, dtype=float))) < tol)\n"
)


@pytest.fixture(scope="module")
def special(course, course_dist, tmp_path_factory, settings):
    """special-matrices q3 forbids det: honest-wrong (calls det) against hidden calls."""
    from autograder.build import ensure_built
    from autograder.validate import specimens

    built = ensure_built(course, SPECIAL, course_dist)
    blank = specimens.blank_submission(course, SPECIAL)
    ref = specimens.reference_submission(course, SPECIAL)
    at = first_code_after(blank, "def is_singular")
    imp = "import numpy as np\n"
    cases = {
        "reference": ref,
        "honest-det": with_cells(blank, imp + DET_FREE.format(call="np.linalg.det"), where=at),
        "getattr-det": with_cells(
            blank, imp + DET_FREE.format(call="getattr(np.linalg, 'de' + 't')"), where=at
        ),
        "rebound-det": with_cells(
            blank,
            imp + "def is_singular(A, tol=1e-12):\n    return False\n"
            "globals()['is_singular'] = lambda A, tol=1e-12: abs(np.linalg.det(A)) < tol\n",
            where=at,
        ),
        "exec-det": with_cells(
            blank,
            imp + "exec(" + repr(DET_FREE.format(call="np.linalg.det")) + ")\n"
            "def is_singular_unused(A):\n    return False\n",
            where=at,
        ),
    }
    d = tmp_path_factory.mktemp("special")
    for name, nb in cases.items():
        write(nb, d / "subs" / f"{name}.ipynb")
    preimport = load.preimports(built.student_notebook)
    code = grade(
        built.autograder_zip, [d / "subs"], d / "out", replace(settings, preimport=preimport)
    )
    return {"code": code, "results": load_results(d / "out")}


@pytest.mark.parametrize("name", ["getattr-det", "rebound-det", "exec-det"])
def test_check_not_calling_is_decided_from_the_source(special, name):
    res = special["results"]
    honest = scores(res["honest-det"])["q3"]
    assert scores(res["reference"])["q3"] > honest  # the rule costs the honest det-caller
    r = res[name]
    assert scores(r)["q3"] <= honest, (name, scores(r))
    msgs = [t["message"] for t in r["questions"]["q3"]["tests"] if not t["passed"]]
    assert any(
        "must reach the functions it calls by their names" in m or "must not use" in m for m in msgs
    )


PROBE_HYBRID = (
    "import numpy as np\n"
    "_kept = []\n"
    "_descend = descend\n"
    "def _looks_hybrid(step):\n"
    "    try:\n"
    "        a = step(np.array([1.0, 1.0]), np.array([[1.0, 0.0], [0.0, -1.0]]))\n"
    "        b = step(np.array([-2.0, 0.0]), np.eye(2))\n"
    "        return np.allclose(a, [-0.5, -0.5]) and np.allclose(b, [2.0, 0.0])\n"
    "    except Exception:\n"
    "        return False\n"
    "def descend(f, start, step, *a, **k):\n"
    "    if _looks_hybrid(step):  # the test's own reference rule: keep it as our answer\n"
    "        globals()['hybrid_step'] = step\n"
    "    return _descend(f, start, step, *a, **k)\n"
)
WRONG_HYBRID = "def hybrid_step(J, H, gamma=0.5, max_len=2.0):\n    return -gamma * J\n"


@pytest.fixture(scope="module")
def sandpit2(course, course_dist, tmp_path_factory, settings):
    """sandpit-2's q4 passes a reference step rule to descend; q3 is that rule."""
    from autograder.build import ensure_built
    from autograder.validate import specimens

    built = ensure_built(course, "sandpit-2", course_dist)
    ref = specimens.reference_submission(course, "sandpit-2")
    at = first_code_after(ref, "def hybrid_step")
    wrong = with_cells(ref, WRONG_HYBRID, where=at)
    q3 = next(i for i, c in enumerate(wrong.cells) if 'grader.check("q3")' in c.source)
    del wrong.cells[q3]  # q3 is then tested after the last cell, after q4 ran descend
    attack = with_cells(wrong, PROBE_HYBRID, where=first_code_after(wrong, "def descend"))
    d = tmp_path_factory.mktemp("sandpit2")
    for name, nb in {"reference": ref, "honest-wrong": wrong, "kept-callback": attack}.items():
        # named as the built notebook, so that Otter's init cell works and each
        # grader.check runs where it stands (q4's before q3's, which is at the end)
        write(nb, d / "subs" / name / "sandpit-2.ipynb")
    preimport = load.preimports(built.student_notebook)
    code = grade(
        built.autograder_zip, [d / "subs"], d / "out", replace(settings, preimport=preimport)
    )
    by_folder = {Path(r["source"]).parent.name: r for r in load_results(d / "out").values()}
    return {"code": code, "results": by_folder}


def test_a_kept_callback_never_becomes_a_graded_answer(sandpit2):
    res = sandpit2["results"]
    assert res["reference"]["total"] == res["reference"]["possible"]
    honest = scores(res["honest-wrong"])
    assert honest["q3"] < scores(res["reference"])["q3"]
    r = res["kept-callback"]
    assert scores(r)["q3"] <= honest["q3"], scores(r)
    assert r["total"] <= res["honest-wrong"]["total"]
