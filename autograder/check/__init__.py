"""``mml check``: run a student notebook in a Jupyter kernel and report its public tests."""

import json
import sys
from pathlib import Path

import nbformat

from ..kernel import notebook_client

SENTINEL = "@@mml-check@@"
SKIP = ("otter.Notebook(", "grader.check(", "grader.export(", "grader.check_all(")

RUN_TESTS = """
import json as _json
from otter.test_files.exception_test import ExceptionTestFile as _ETF
_results = {}
for _q, _text in _json.loads(%r).items():
    _tf = _ETF.from_string(_text, path=_q + ".py")
    _tf.run(globals())
    _results[_q] = {
        "passed": _tf.passed_all,
        "score": _tf.score,
        "possible": _tf.possible,
        "failures": [r.message for r in _tf.test_case_results if not r.passed],
    }
print(%r + _json.dumps(_results))
"""


class CheckError(Exception):
    """A notebook that cannot be checked (not a notebook, no public tests)."""


def public_tests(nb: nbformat.NotebookNode, questions: list[str] | None) -> dict[str, str]:
    tests = nb.metadata.get("otter", {}).get("tests", {})
    if not tests:
        raise CheckError("this notebook carries no tests: is it a notebook built by `mml build`?")
    if questions:
        unknown = sorted(set(questions) - set(tests))
        if unknown:
            raise CheckError(f"no question {', '.join(unknown)}; questions: {', '.join(tests)}")
        tests = {q: tests[q] for q in questions}
    return tests


def run_checks(path: Path, questions: list[str] | None, timeout: int) -> tuple[dict, list[str]]:
    """Execute the notebook (skipping Otter's own cells) and return test results, cell errors."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # nbformat raises several kinds for bad files
        raise CheckError(f"{path} is not a readable notebook: {e}") from None
    tests = public_tests(nb, questions)
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and not any(s in c.source for s in SKIP)
        and "otter_ignore" not in c.metadata.get("tags", [])
    ]
    runner = nbformat.v4.new_notebook(metadata=nb.metadata)
    runner.cells = [nbformat.v4.new_code_cell(c.source) for c in cells]
    runner.cells.append(nbformat.v4.new_code_cell(RUN_TESTS % (json.dumps(tests), SENTINEL)))
    notebook_client(runner, path.resolve().parent, timeout, allow_errors=True).execute()
    errors, results = [], None
    for k, cell in enumerate(runner.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error" and k < len(cells):
                first = cells[k].source.strip().splitlines()[0][:60] if cells[k].source else ""
                errors.append(f"{out.ename}: {out.evalue} (in the cell starting {first!r})")
            elif out.output_type == "stream" and SENTINEL in out.text:
                results = json.loads(out.text.split(SENTINEL, 1)[1])
    if results is None:
        raise CheckError("the tests could not be run (the kernel stopped before the end)")
    return results, errors


def check_notebook(path: Path, questions: list[str] | None, timeout: int, echo=print) -> int:
    """Print each question's public-test result; exit code 1 if any failed, 2 if unusable."""
    try:
        results, errors = run_checks(Path(path), questions, timeout)
    except CheckError as e:
        print(f"mml check: {e}", file=sys.stderr)
        return 2
    for e in errors:
        echo(f"note: a cell raised {e}")
    failed = 0
    for q, r in results.items():
        if r["passed"]:
            echo(f"{q}: passed all public tests")
            continue
        failed += 1
        echo(f"{q}: FAILED")
        for msg in r["failures"]:
            echo("    " + msg.replace("\n", "\n    "))
    echo(f"{len(results) - failed} of {len(results)} questions pass their public tests.")
    if not failed:
        echo("Hidden tests are run when you submit: test your functions on cases of your own too.")
    return 1 if failed else 0
