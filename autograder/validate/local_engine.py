"""Run a notebook's code in-process and score it with Otter's own test-file classes.

Authors use this (``mml validate --engine local``) for a quick loop while writing an
assignment; it trusts the code it runs, so it is never used on students' submissions.
"""

import contextlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from otter.assign.tests_manager import EXCEPTION_BASED_TEST_FILE_TEMPLATE
from otter.nbmeta_config import OK_FORMAT_VARNAME
from otter.test_files.abstract_test import TestCase as OtterCase
from otter.test_files.exception_test import ExceptionTestFile

from ..course import Assignment
from ..course.cases import load_test_cases


@dataclass
class QuestionScore:
    """A question's score and its failed test cases' messages."""

    score: float
    possible: float
    failures: list[str] = field(default_factory=list)


def render_test_files(assignment: Assignment, hidden: bool = True) -> dict[str, str]:
    """The Otter test file of every question, as ``otter assign`` writes it."""
    cases = load_test_cases(assignment.tests_file)
    files = {}
    for q in assignment.questions:
        qcases = [c for c in cases if c.question == q.name and (hidden or not c.hidden)]
        files[q.name] = EXCEPTION_BASED_TEST_FILE_TEMPLATE.render(
            name=q.name,
            points=q.points,
            all_or_nothing=q.all_or_nothing,
            OK_FORMAT_VARNAME=OK_FORMAT_VARNAME,
            test_cases=[OtterCase("", c.source, c.hidden, c.points, None, None) for c in qcases],
        )
    return files


def run_cells(sources: list[str], workdir: Path) -> tuple[dict, list[str]]:
    """Execute code cells in one namespace, as a kernel would; a failing cell does not stop it."""
    import matplotlib
    from IPython.core.inputtransformer2 import TransformerManager

    matplotlib.use("Agg")
    transform = TransformerManager().transform_cell
    namespace: dict = {"__name__": "__main__"}
    errors = []
    old = Path.cwd()
    os.chdir(workdir)
    try:
        for k, src in enumerate(sources):
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(transform(src), f"<cell {k}>", "exec"), namespace)
            except Exception as e:  # a student cell may raise anything
                errors.append(f"cell {k}: {type(e).__name__}: {e}")
    finally:
        os.chdir(old)
        import matplotlib.pyplot as plt

        plt.close("all")
    return namespace, errors


def score(files: dict[str, str], namespace: dict) -> dict[str, QuestionScore]:
    """Run each question's test file against the namespace with Otter's ExceptionTestFile."""
    scores = {}
    for q, text in files.items():
        tf = ExceptionTestFile.from_string(text, path=f"{q}.py")
        tf.run(namespace)
        failures = [r.message for r in tf.test_case_results if not r.passed]
        scores[q] = QuestionScore(float(tf.score), float(tf.possible), failures)
    return scores
