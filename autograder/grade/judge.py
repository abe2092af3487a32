"""The trusted judge: runs the autograder zip's Otter tests against a sandboxed submission."""

import hashlib
import io
import json
import re
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from autograder import otter_api

from . import load, okformat, otter_zip
from .protocol import Op, clean_text
from .remote import ChildGone, Link
from .result import CaseResult, CellError, Outcome, QuestionResult, Result, Status
from .sandbox import SandboxError, SharedZygote, Zygote
from .source import Definitions

NOT_RUN = "❌ Test case not run: {why}"


class Suite:
    """The zip's test files (Otter's own classes), its config and its data files."""

    def __init__(self, zip_bytes: bytes, on_files=None):
        """Unpack the zip; ``on_files(files_dir)`` is called before the (slower) test loading."""
        self.digest = hashlib.sha256(zip_bytes).hexdigest()
        self.dir = Path(tempfile.mkdtemp(prefix="mml-judge-"))  # 0700: the sandbox cannot look
        self.files = self.dir / "files"
        self.files.mkdir()
        tests_dir = self.dir / "tests"
        tests_dir.mkdir()
        self.config = {}
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
            for info in z.infolist():
                name = info.filename
                if info.is_dir() or ".." in Path(name).parts or name.startswith("/"):
                    continue
                if name.startswith("tests/") and name.endswith(".py") and name.count("/") == 1:
                    (tests_dir / Path(name).name).write_bytes(z.read(info))
                elif name.startswith("files/"):
                    dest = self.files / name[len("files/") :]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(z.read(info))
                elif name == "otter_config.json":
                    self.config = json.loads(z.read(info))
        if on_files:
            on_files(self.files)
        # Otter runs the tests in sorted path order (glob of ./tests/*.py).
        self.tests = {}
        self.imports: set[str] = set()
        for path in sorted(tests_dir.glob("*.py"), key=lambda p: f"./tests/{p.name}"):
            tf = otter_api.load_test_file(path)
            self.tests[tf.name] = tf
            self.imports |= _imports(path.read_text())
        self.params = {
            q: okformat.names(tf)  # OK-format: every name the doctests read (okformat.py)
            if okformat.is_ok(tf)
            else sorted({p for tc in tf.test_cases for p in otter_api.test_params(tc)} - {"env"})
            for q, tf in self.tests.items()
        }
        self.possible = {q: float(tf.possible) for q, tf in self.tests.items()}

    def fresh(self, q: str):
        return otter_api.fresh(self.tests[q])

    def modules(self, preimport: list[str]) -> dict:
        """The modules a notebook's module value may stand for: those the judge holds for this
        assignment (numpy, what the tests and the notebook import), never imported on demand."""
        roots = {"numpy", "math", "random"} | {m.split(".")[0] for m in self.imports}
        roots |= {m.split(".")[0] for m in preimport}
        return {
            name: mod
            for name, mod in list(sys.modules.items())
            if mod is not None and name.split(".")[0] in roots
        }

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\w[\w.]*)[ \t]+import\b|import[ \t]+([\w., \t]+))", re.M
)


def _imports(source: str) -> set[str]:
    """The modules a test file imports (read from the trusted zip). A line scan, not a parse:
    parsing our self-contained test files cost 25 ms each, and a name matched inside a string
    only adds a module the trusted tests named."""
    out = set()
    for m in _IMPORT.finditer(source):
        if m.group(1):
            out.add(m.group(1))
        else:
            out |= {part.split()[0] for part in m.group(2).split(",") if part.split()}
    return out


class Grader:
    """One judge with its zygote: ``grade`` one submission at a time."""

    def __init__(
        self,
        zip_bytes: bytes,
        timeout: float,
        memory_mb: int,
        preimport: list[str],
        shared: SharedZygote | None = None,
    ):
        """``shared``: a zygote this judge shares with other assignments' judges (it then
        names its data files at each fork) instead of one of its own."""
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.preimport = preimport
        self.shared = shared
        self.zygote: Zygote | None = None
        # The zygote warms up (numpy, matplotlib, ...) while the judge loads the tests.
        self.suite = Suite(zip_bytes, on_files=None if shared else self._start_zygote)
        self.modules = self.suite.modules(preimport)

    def _start_zygote(self, files: Path) -> None:
        self.zygote = Zygote(files, self.preimport)

    def _zygote(self) -> Zygote:
        if self.shared is not None:
            return self.shared.get()
        if self.zygote is None:
            self.zygote = Zygote(self.suite.files, self.preimport)
        return self.zygote

    def _drop_zygote(self) -> None:
        if self.shared is not None:
            self.shared.reset()
        elif self.zygote:
            self.zygote.close()
        self.zygote = None

    def close(self) -> None:
        if self.zygote:
            self.zygote.close()
            self.zygote = None
        self.suite.close()

    def grade(self, name: str, path: Path, data: bytes) -> Result:
        """Grade one submission; always returns a result (status ``error`` on a grader fault)."""
        start = time.monotonic()
        result = Result(
            submission=name,
            source=str(path),
            digest=hashlib.sha256(data).hexdigest(),
            autograder_digest=self.suite.digest,
            status=Status.ERROR,
        )
        try:
            config = self.suite.config
            nb = load.read_notebook(path, data, config.get("seed"), config.get("seed_variable"))
            files = otter_zip.student_files(path, data, nb.filename)  # student_files
            expected = self.suite.config.get("assignment_name")
            if expected and nb.assignment_name != expected:
                raise load.InvalidSubmission(
                    f"the notebook is for assignment {nb.assignment_name!r}, not {expected!r}"
                )
        except load.InvalidSubmission as e:
            outcome = self._zeros("invalid", str(e))
        else:
            try:
                outcome = self._run(nb, files)
            except SandboxError as e:
                self._drop_zygote()
                outcome = self._zeros("error", str(e))
            except Exception as e:  # a grader fault must not stop the batch
                outcome = self._zeros("error", f"{type(e).__name__}: {e}")
        result.status, result.detail = outcome.status, outcome.detail
        result.questions, result.cell_errors = outcome.questions, outcome.cell_errors
        otter_zip.apply_config(result, self.suite.config)  # points_possible, show_hidden
        result.seconds = round(time.monotonic() - start, 4)
        return result

    def _zeros(self, status: str, detail: str) -> Outcome:
        questions = {
            q: self._question(self.suite.fresh(q), f"the submission is {status}")
            for q in self.suite.tests
        }
        return _totals(status, detail, questions, [])

    def _run(self, nb: load.Notebook, files: dict[str, bytes]) -> Outcome:
        zygote = self._zygote()
        limits = {"cpu": self.timeout, "memory_mb": self.memory_mb}
        sock, _pid = zygote.fork(limits, self.suite.files if self.shared else None)
        source: list[Definitions] = []

        def code_names(name):  # read from the notebook only if a test asks (check_not_calling)
            if not source:
                source.append(Definitions(nb.cells))
            return source[0].code_names(name)

        link = Link(sock, time.monotonic() + self.timeout, self.modules, code_names)
        checked: dict[str, object] = {}
        errors: list = []
        memory = False
        try:
            run = {"op": Op.RUN, "cells": nb.cells, "notebook": nb.filename}
            link.send(run, {"files": files} if files else None)
            while True:  # the notebook runs; each grader.check("qN") runs qN's tests there
                msg, _ = link.recv((Op.CHECK, Op.DONE), cells=len(nb.cells))
                if msg["op"] == Op.CHECK:
                    q = msg["q"]
                    if q in self.suite.tests:
                        checked[q] = self._check(link, q)
                    link.send({"op": Op.RETURN, "value": q in self.suite.tests})
                else:
                    errors, memory = msg.get("errors", []), msg.get("memory", False)
                    break
            for q in self.suite.tests:  # Otter's final cell: every test not run yet
                if q not in checked:
                    checked[q] = self._check(link, q)
            link.send({"op": Op.EXIT})
        except ChildGone:
            pass
        finally:
            if link.gone:
                zygote.kill()
            sock.close()
            ended = zygote.reap()
        why = {"timeout": "timeout", "nonsense": "crashed"}.get(link.gone)
        if why is None and link.gone == "closed":
            why = (
                "memory"
                if (memory or link.saw_memory_error or ended.get("code") == -9)
                else "crashed"
            )
        status = why or ("memory" if memory or link.saw_memory_error else "graded")
        for q in self.suite.tests:
            if q not in checked:
                checked[q] = self._question(self.suite.fresh(q), _reason(status))
        detail = {
            "timeout": f"stopped after {self.timeout:g} s",
            "memory": f"ran out of memory ({self.memory_mb} MB)",
            "crashed": f"the notebook's process ended abnormally (exit {ended.get('code')})",
        }.get(status, "")
        if link.violation:
            detail = clean_text(f"broke the protocol: {link.violation}", 400)
        return _totals(status, detail, {q: checked[q] for q in self.suite.tests}, errors)

    def _check(self, link: Link, q: str) -> QuestionResult:
        tf = self.suite.fresh(q)
        try:
            env = link.resolve(self.suite.params[q])
        except ChildGone as e:
            return self._question(tf, str(e))
        link.echo = okformat.is_ok(tf)
        if link.echo:
            env = okformat.environment(env)
        link.kept.clear()
        otter_api.run(tf, env)  # Otter's own Exception/OKTestFile.run: same messages, points, rules
        return otter_zip.flag_kept(_summarise(tf), link.kept)

    @staticmethod
    def _question(tf, why: str) -> QuestionResult:
        tf.test_case_results = [
            otter_api.case_result(tc, NOT_RUN.format(why=why), False) for tc in tf.test_cases
        ]
        return _summarise(tf)


def _reason(status: str) -> str:
    return {
        "timeout": "the notebook ran out of time",
        "memory": "the notebook ran out of memory",
        "crashed": "the notebook's process ended",
    }.get(status, "the notebook stopped")


def _summarise(tf) -> QuestionResult:
    return QuestionResult(
        score=float(tf.score),
        possible=float(tf.possible),
        all_or_nothing=bool(tf.all_or_nothing),
        tests=tuple(
            CaseResult(
                name=str(r.test_case.name),
                passed=bool(r.passed),
                points=float(r.test_case.points or 0),
                hidden=bool(r.test_case.hidden),
                message=str(r.message or ""),
                failure_message=r.test_case.failure_message,
            )
            for r in tf.test_case_results
        ),
    )


def _totals(status, detail, questions, cell_errors) -> Outcome:
    # The child's cell errors are hostile: anything not [index, name, text] is dropped.
    errors = [e for e in map(CellError.parse, cell_errors) if e is not None][:50]
    return Outcome(Status(status), str(detail), questions, errors)
