"""Test cases from tests.py become self-contained Otter test functions."""

import textwrap

import pytest

from autograder.course.cases import TestSourceError, load_test_cases


def write(tmp_path, text):
    path = tmp_path / "tests.py"
    path.write_text(textwrap.dedent(text))
    return path


def test_cases_carry_what_they_use(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        from autograder.checks import check_scalar
        from autograder.testing import case

        _K = 3.0
        _UNUSED = 1

        def _double(x):
            return 2 * x

        @case("q1", hidden=True, points=2)
        def test_it(f):
            check_scalar(f(_K), _double(_K) + np.zeros(1)[0], "f(3)")
        """,
    )
    (c,) = load_test_cases(path)
    assert (c.question, c.hidden, c.points, c.params) == ("q1", True, 2, ("f",))
    assert "_UNUSED" not in c.source and "@case" not in c.source
    env = {}
    exec(c.source, env)  # the case stands alone: no module globals needed
    env["test_it"](lambda x: 2 * x)
    with pytest.raises(AssertionError, match=r"f\(3\) is 9, but 6 was expected"):
        env["test_it"](lambda x: 3 * x)


def test_helper_named_like_a_parameter_is_refused(tmp_path):
    path = write(
        tmp_path,
        """
        from autograder.testing import case

        def f(x):
            return x

        def _twice(x):
            return 2 * f(x)

        @case("q1")
        def test_it(f):
            assert _twice(1) == 2 * f(1)
        """,
    )
    with pytest.raises(TestSourceError, match="rename the helper"):
        load_test_cases(path)


def test_case_needs_its_question(tmp_path):
    path = write(
        tmp_path,
        """
        from autograder.testing import case

        @case
        def test_it(f):
            assert f(1) == 1
        """,
    )
    with pytest.raises(TestSourceError, match="with the question"):
        load_test_cases(path)


def test_statements_at_top_level_are_refused(tmp_path):
    path = write(
        tmp_path,
        """
        from autograder.testing import case
        print("side effect")

        @case("q1")
        def test_it(f):
            assert f(1) == 1
        """,
    )
    with pytest.raises(TestSourceError, match="only imports, functions"):
        load_test_cases(path)
