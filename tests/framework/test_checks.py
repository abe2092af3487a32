"""The checks' diagnostics: their order, and the sentences for raising student functions."""

import numpy as np
import pytest

from autograder.checks import (
    after_earlier,
    call,
    check_array,
    check_each,
    check_integer,
    check_raises,
    check_scalar,
    check_shape,
    check_unchanged,
    show_value,
)

EXPECTED = np.array([[1.0, 2.0], [3.0, 4.0]])


def failure(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        check(*args, **kwargs)
    return str(info.value)


# ----------------------------------------------------- order of check_array's diagnostics
# missing value, not numeric, wrong shape, NaN or infinity, then which entries differ: a
# result with several problems is reported by the first of them only.


def test_missing_value_comes_first():
    assert "f(X) is None: is the function still `...`" in failure(
        check_array, None, EXPECTED, "f(X)"
    )
    assert "has not been written yet" in failure(check_array, ..., EXPECTED, "f(X)")


def test_not_numeric_comes_before_shape():
    message = failure(check_array, ["a", "b", "c"], EXPECTED, "f(X)")
    assert message.startswith("f(X) should be a numeric array, but it is list")


def test_wrong_shape_comes_before_nan_and_values():
    wrong = np.full((3, 2), np.nan)
    assert failure(check_array, wrong, EXPECTED, "f(X)") == (
        "f(X) has shape (3, 2), but shape (2, 2) was expected."
    )


def test_nan_comes_before_values():
    wrong = np.array([[1.0, 5.0], [np.inf, 9.0]])
    message = failure(check_array, wrong, EXPECTED, "f(X)")
    assert message.startswith("f(X) contains NaN or infinity (first at f(X)[1, 0])")


def test_values_last_naming_the_wrong_entries():
    wrong = np.array([[1.0, 2.5], [3.0, 4.0]])
    message = failure(check_array, wrong, EXPECTED, "f(X)")
    assert message.startswith("1 of 4 entries of f(X) are wrong:")
    assert "f(X)[0, 1] is 2.5, expected 2 (off by 0.5)" in message


def test_integer_dtype_is_accepted_when_the_values_are_right():
    """Dtype does not fail a result by itself: integer entries equal to the floats pass."""
    assert check_array(np.array([[1, 2], [3, 4]]), EXPECTED, "f(X)").dtype == float


def test_right_answers_pass_every_check():
    check_array(EXPECTED + 1e-12, EXPECTED, "f(X)")
    check_array(np.array([[1.0], [2.0]]), [1.0, 2.0], "v", vector=True)
    check_shape(np.zeros((2, 3)), (2, 3), "g(X)")
    assert check_scalar(np.float64(2.0), 2.0, "h(x)") == 2.0
    assert check_integer(np.int64(3), 3, "k(x)") == 3


def test_scalar_and_integer_diagnostics_in_order():
    assert "is None" in failure(check_scalar, None, 1.0, "h(x)")
    assert "should be a single number" in failure(check_scalar, np.ones(2), 1.0, "h(x)")
    assert "division by zero" in failure(check_scalar, np.nan, 1.0, "h(x)")
    assert failure(check_scalar, 1.5, 1.0, "h(x)").startswith("h(x) is 1.5, but 1 was expected")
    assert "should be an integer" in failure(check_integer, True, 1, "k(x)")
    assert "whole number" in failure(check_integer, 2.5, 2, "k(x)")
    assert failure(check_integer, 3, 2, "k(x)") == "k(x) is 3, but 2 was expected."


def test_unchanged_names_the_call():
    before = np.zeros(2)
    message = failure(check_unchanged, before, np.ones(2), "p", by="gradient(f, p)")
    assert message.startswith("gradient(f, p) changed p, its input")


# ---------------------------------------------------------------- a student's function raises


def distance(x0, x1):
    """A plausible student answer that breaks on (D, 1) columns."""
    d = x0 - x1
    return float(np.sqrt(d @ d))


def test_call_returns_what_the_function_returns():
    assert call(distance, np.array([3.0, 0.0]), np.array([0.0, 4.0])) == 5.0


def test_call_shows_the_call_the_arguments_the_exception_and_the_convention():
    column = np.array([[1.0], [2.0], [2.0]])
    message = failure(call, distance, column, np.zeros((3, 1)), convention="Use (D, 1) too.")
    lines = message.splitlines()
    assert lines[0].startswith("distance(x0, x1) raised ValueError: matmul: Input operand 1")
    assert lines[1] == "  x0 = [[1.0], [2.0], [2.0]] (shape (3, 1), float64)"
    assert lines[2] == "  x1 = [[0.0], [0.0], [0.0]] (shape (3, 1), float64)"
    assert lines[3] == "Use (D, 1) too."
    assert "Traceback" not in message


def test_large_arguments_are_summarised_and_keywords_named():
    def scale(X, factor=1.0):
        raise ZeroDivisionError("float division by zero")

    X = np.arange(40.0).reshape(20, 2)
    message = failure(call, scale, X, factor=0.0)
    assert message.splitlines() == [
        "scale(X, factor) raised ZeroDivisionError: float division by zero",
        "  X = an array of shape (20, 2), float64, starting 0, 1, 2, ...",
        "  factor = 0.0",
    ]


def test_hostile_names_and_messages_are_bounded():
    """A submission chooses its function's name and its exception's text."""

    class Loud(Exception):
        def __str__(self):
            return "x" * 10_000 + "\n\n" + "y"

    def f(a):
        raise Loud()

    f.__name__ = "not an identifier\nError at line 1"
    message = failure(call, f, 1)
    assert message.startswith("your function(a) raised Loud: xxx")
    assert len(message) < 500 and "Error at line" not in message


def test_show_value_describes_containers_and_functions():
    params = {"W1": np.zeros((6, 1)), "k": 3}
    assert show_value(params) == "{'W1': array of shape (6, 1), float64, 'k': 3}"
    assert show_value(distance) == "the function distance"
    assert show_value(np.array([1, 2])) == "[1, 2] (shape (2,), int64)"


def test_check_raises_names_an_unexpected_exception():
    class MatrixIsSingular(Exception):
        pass

    def fix(A):
        return A[5]

    message = failure(check_raises, MatrixIsSingular, fix, np.eye(2), name="fix(A)")
    assert message.startswith("fix(A) should raise MatrixIsSingular, but it raised IndexError")

    def singular(A):
        raise MatrixIsSingular()

    check_raises(MatrixIsSingular, singular, np.eye(2), name="fix(A)")


# ------------------------------------------------------ several functions, earlier questions


def test_check_each_reports_every_failure():
    def bad_w():
        check_array(None, [1.0], "J_W3(x, y, params)")

    def bad_b():
        call(distance, np.ones((2, 1)), np.ones((2, 1)))

    message = failure(check_each, bad_w, lambda: None, bad_b)
    assert "J_W3(x, y, params) is None" in message
    assert "distance(x0, x1) raised ValueError" in message
    check_each(lambda: None, lambda: check_scalar(1.0, 1.0))


def test_after_earlier_blames_only_a_failing_earlier_function():
    def later():
        check_scalar(2.0, 1.0, "pca(X, 1)")

    def earlier_wrong():
        check_scalar(0.0, 1.0, "normalize(X)")

    def earlier_right():
        check_scalar(1.0, 1.0, "eig(S)")

    message = failure(
        after_earlier, later, ("q1", "normalize", earlier_wrong), ("q2", "eig", earlier_right)
    )
    assert message.splitlines() == [
        "this uses your `normalize` (q1), which fails its checks: fix q1 first.",
        "pca(X, 1) is 2, but 1 was expected (off by 1).",
    ]
    assert failure(after_earlier, later, ("q2", "eig", earlier_right)) == (
        "pca(X, 1) is 2, but 1 was expected (off by 1)."
    )
    after_earlier(lambda: None, ("q1", "normalize", earlier_wrong))  # passes: nothing to blame


def test_text_is_not_numeric_and_complex_is_the_wrong_dtype():
    message = failure(check_array, np.array(["1", "2"]), [1.0, 2.0], "f(x)")
    assert message.startswith("f(x) should be a numeric array")
    wrong = np.array([1.0 + 2j, 2.0 + 0j, np.nan])
    assert "has shape (3,)" in failure(check_array, wrong, [1.0, 2.0], "f(x)")
    message = failure(check_array, wrong, [1.0, 2.0, 3.0], "f(x)")
    assert message.startswith("f(x) has complex entries (dtype complex128)")
    check_array(np.array([1.0 + 0j, 2.0 + 0j]), [1.0, 2.0], "f(x)")  # real values in complex
    assert "complex entries" in failure(check_scalar, 1.0 + 1j, 1.0, "h(x)")
