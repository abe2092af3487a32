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


def test_once_keeps_fixed_data_across_calls_of_the_self_contained_case(tmp_path):
    path = write(
        tmp_path,
        """
        import numpy as np
        from autograder.checks import check_scalar, once
        from autograder.testing import case

        @once
        def _cases():
            made.append(1)  # not defined here: the test file's global, to count with
            return tuple((float(x), float(x) ** 2) for x in np.arange(3))

        @case("q1")
        def test_square(square):
            for x, expected in _cases():
                check_scalar(square(x), expected, f"square({x})")

        @case("q1")
        def test_square_again(square):
            for x, expected in _cases():
                check_scalar(square(x), expected, f"square({x})")
        """,
    )
    cases = load_test_cases(path)
    assert all("def _cases" in c.source for c in cases)  # copied into each case's body
    env = {"made": []}
    for c in cases:  # as in the Otter test file: every case in one namespace
        exec(c.source, env)
    for _ in range(3):
        env["test_square"](lambda x: x * x)
        env["test_square_again"](lambda x: x * x)
    with pytest.raises(AssertionError, match=r"square\(2.0\) is 2, but 4 was expected"):
        env["test_square"](lambda x: x)
    # made once for seven calls (functools.cache in the copied helper starts empty each call)
    assert env["made"] == [1]
    assert list(env["_mml_once"].values()) == [((0.0, 0.0), (1.0, 1.0), (2.0, 4.0))]
