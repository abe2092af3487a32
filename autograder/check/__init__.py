"""``mml check``: run a student notebook in a Jupyter kernel and report its public tests."""

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..kernel import NotebookStopped, run_notebook

SENTINEL = "@@mml-check@@"
SKIP = ("otter.Notebook(", "grader.check(", "grader.export(", "grader.check_all(")

# One cell per question, so that a test that never ends names its question.
RUN_TESTS = """
import json as _json
from otter.test_files.exception_test import ExceptionTestFile as _ETF
_tf = _ETF.from_string(%r, path=%r)
_tf.run(globals())
print(%r + _json.dumps({
    "passed": _tf.passed_all,
    "failures": [r.message for r in _tf.test_case_results if not r.passed],
}))
"""


class CheckError(Exception):
    """A notebook that cannot be checked (not a notebook, no public tests, it did not finish)."""


@dataclass(frozen=True)
class NotebookCell:
    """A code cell of the student's notebook, located as a student would find it."""

    number: int  # 1-based position among all cells, markdown included
    question: str | None  # the question whose block (prompt to grader.check) holds it
    source: str

    def describe(self) -> str:
        first = self.source.strip().splitlines()[0][:60] if self.source.strip() else ""
        where = f", in {self.question}" if self.question else ""
        return f"cell {self.number}{where}, starting {first!r}"


@dataclass
class CheckRun:
    """What running the notebook gave: results per question, cell errors, why it stopped."""

    results: dict[str, dict]
    errors: list[str]
    stopped: str | None = None


def read_notebook(path: Path) -> nbformat.NotebookNode:
    if not path.exists():
        raise CheckError(f"no such file: {path}")
    if path.is_dir():
        raise CheckError(f"{path} is a folder: give the notebook file (.ipynb) inside it")
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as e:  # nbformat raises several kinds for bad files
        reason = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
        raise CheckError(f"{path} is not a readable notebook ({reason})") from None
    return nb


def public_tests(nb: nbformat.NotebookNode, questions: list[str] | None) -> dict[str, str]:
    tests = nb.metadata.get("otter", {}).get("tests", {})
    if not isinstance(tests, dict) or not tests:
        raise CheckError("this notebook carries no tests: is it a notebook built by `mml build`?")
    if questions:
        unknown = sorted(set(questions) - set(tests))
        if unknown:
            raise CheckError(f"no question {', '.join(unknown)}; questions: {', '.join(tests)}")
        tests = {q: tests[q] for q in questions}
    return tests


def code_cells(nb: nbformat.NotebookNode) -> list[NotebookCell]:
    """The code cells to run (Otter's own and ignored cells left out), with their location."""
    cells, question = [], None
    for k, c in enumerate(nb.cells, 1):
        if c.cell_type == "markdown" and c.metadata.get("question"):
            question = str(c.metadata["question"])
        if c.cell_type != "code":
            continue
        if not any(s in c.source for s in SKIP) and "otter_ignore" not in c.metadata.get(
            "tags", []
        ):
            cells.append(NotebookCell(k, question, c.source))
        if "grader.check(" in c.source:
            question = None
    return cells


def run_checks(path: Path, questions: list[str] | None, timeout: float) -> CheckRun:
    """Execute the notebook (skipping Otter's own cells), then each question's public tests."""
    nb = read_notebook(path)
    tests = public_tests(nb, questions)
    cells = code_cells(nb)
    runner = nbformat.v4.new_notebook(metadata=nb.metadata)
    runner.cells = [nbformat.v4.new_code_cell(c.source) for c in cells]
    order = list(tests)
    for q in order:
        runner.cells.append(nbformat.v4.new_code_cell(RUN_TESTS % (tests[q], q + ".py", SENTINEL)))
    stopped = None
    try:
        run_notebook(runner, path.resolve().parent, timeout, allow_errors=True)
    except NotebookStopped as e:
        stopped = _why_stopped(e, cells, order)
    errors, results = [], {}
    for k, cell in enumerate(runner.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error" and k < len(cells):
                errors.append(f"{out.ename}: {out.evalue} ({cells[k].describe()})")
            elif out.output_type == "stream" and SENTINEL in out.text and k >= len(cells):
                try:
                    results[order[k - len(cells)]] = json.loads(out.text.split(SENTINEL, 1)[1])
                except ValueError:  # the notebook printed our marker itself
                    continue
    if not results and stopped is None:
        stopped = "the tests could not be run (the kernel stopped before the end)"
    return CheckRun(results, errors, stopped)


def _why_stopped(e: NotebookStopped, cells: list[NotebookCell], order: list[str]) -> str:
    """Which cell or question was running when the run stopped, and the likely cause."""
    k = e.cell_index
    if k is None:
        return f"the notebook did not start: {e.reason}"
    if k < len(cells):
        where, hint = cells[k].describe(), "does it loop forever?"
    else:
        q = order[k - len(cells)]
        where, hint = f"the public tests of {q}", f"does a function of {q} loop forever?"
    if e.timed_out:
        return f"{where} {e.reason}: {hint}"
    return f"{e.reason} while running {where} (does it call exit, or use too much memory?)"


def check_notebook(path: Path, questions: list[str] | None, timeout: float, echo=print) -> int:
    """Print each question's public-test result.

    Exit code 0 if all pass, 1 if any fails, 2 if the notebook could not be checked (not a
    notebook, or it did not finish in time: the questions tested before that are shown).
    """
    try:
        run = run_checks(Path(path), questions, timeout)
    except CheckError as e:
        print(f"mml check: {e}", file=sys.stderr)
        return 2
    for e in run.errors:
        echo(f"note: a cell raised {e}")
    failed = 0
    for q, r in run.results.items():
        if r["passed"]:
            echo(f"{q}: passed all public tests")
            continue
        failed += 1
        echo(f"{q}: FAILED")
        for msg in r["failures"]:
            echo("    " + msg.replace("\n", "\n    "))
    if run.stopped:
        print(f"mml check: stopped: {run.stopped}", file=sys.stderr)
        return 2
    echo(f"{len(run.results) - failed} of {len(run.results)} questions pass their public tests.")
    if not failed:
        echo("Hidden tests are run when you submit: test your functions on cases of your own too.")
    return 1 if failed else 0
