"""CI: every assignment's hidden tests kill at least 95% of the generated non-equivalent mutants."""

from pathlib import Path

import pytest

from autograder.course import load_course
from autograder.validate.mutate import mutate

ROOT = Path(__file__).resolve().parents[2]
MIN_SCORE = 95.0


@pytest.mark.slow
def test_whole_course_mutation_score(course_dist):
    lines: list[str] = []
    code = mutate(load_course(ROOT), None, course_dist, MIN_SCORE, 2, echo=lines.append)
    report = "\n".join(lines)
    assert code == 0, report
    assert "PROBLEM" not in report and "FAILED" not in report, report
