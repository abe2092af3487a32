"""Tests for mean-covariance."""

import numpy as np

from autograder.checks import as_float_array, call, check_array, check_each, check_unchanged
from autograder.testing import case

# The worked example of the notebook: three points in R^2.
_X_EXAMPLE = np.array([[1.0, 2.0], [3.0, 0.0], [5.0, 4.0]])
_MEAN_EXAMPLE = np.array([3.0, 2.0])
_COV_EXAMPLE = np.array([[8.0, 4.0], [4.0, 8.0]]) / 3
_COV_EXAMPLE_N_MINUS_1 = np.array([[4.0, 2.0], [2.0, 4.0]])
_COV_EXAMPLE_UNCENTRED = np.array([[35.0, 22.0], [22.0, 20.0]]) / 3


def _check_mean(actual, X, expected, name):
    """Check a mean, explaining the usual shape mistake (one number per row)."""
    N, D = X.shape
    arr = as_float_array(actual, name)
    if arr.shape == (N,) and N != D:
        raise AssertionError(
            f"{name} has shape ({N},): one number per data point. The mean averages over the "
            f"data points (the rows, axis 0) and has one entry per feature: shape ({D},)."
        )
    if arr.shape != (D,):
        raise AssertionError(f"{name} has shape {arr.shape}, but shape ({D},) was expected.")
    check_array(arr, expected, name)


def _check_cov(actual, X, expected, name):
    """Check a covariance matrix, naming the usual mistakes when the values match one."""
    N, D = X.shape
    arr = as_float_array(actual, name)
    if arr.shape != (D, D):
        raise AssertionError(
            f"{name} has shape {arr.shape}, but ({D}, {D}) was expected: one row and one column "
            "per feature (did you multiply the data matrix the other way round?)."
        )
    if N > 1 and np.allclose(arr, expected * N / (N - 1)) and not np.allclose(arr, expected):
        raise AssertionError(f"{name} divides by N - 1; this course's covariance divides by N.")
    Xf = np.array(X, dtype=float)
    if np.allclose(arr, Xf.T @ Xf / N) and not np.allclose(arr, expected):
        raise AssertionError(
            f"{name} equals X^T X / N: subtract the mean from every data point first."
        )
    check_array(arr, expected, name)


def _random_data(seed, N, D, offset=0.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, D)) @ rng.normal(size=(D, D)) + offset


def _mean_hidden_checks(func, fname):
    """Random, integer and boundary inputs, against numpy; the input must not change."""
    for seed, N, D in [(7, 9, 4), (8, 2, 5), (9, 40, 3)]:
        X = _random_data(seed, N, D, offset=3.0)
        before = X.copy()
        _check_mean(func(X), X, before.mean(axis=0), f"{fname}(X) for X of shape {X.shape}")
        check_unchanged(before, X, "X")
    Xi = np.random.default_rng(10).integers(0, 17, size=(7, 5))
    _check_mean(func(Xi), Xi, Xi.mean(axis=0), f"{fname}(X) for an integer X")
    one = np.array([[1.5, -2.0, 4.0]])
    _check_mean(func(one), one, one[0], f"{fname}(X) for a single data point")
    col = np.array([[1.0], [2.0], [6.0], [-3.0]])
    _check_mean(func(col), col, np.array([1.5]), f"{fname}(X) for one feature (D = 1)")


def _cov_hidden_checks(func, fname):
    """Random, shifted, integer and single-point inputs, against numpy; X must not change."""
    for seed, N, D in [(7, 9, 4), (8, 3, 6), (9, 50, 3)]:
        X = _random_data(seed, N, D, offset=5.0)
        before = X.copy()
        expected = np.cov(before, rowvar=False, bias=True)
        _check_cov(func(X), X, expected, f"{fname}(X) for X of shape {X.shape}")
        check_unchanged(before, X, "X")
    Xi = np.random.default_rng(11).integers(0, 17, size=(8, 3))
    _check_cov(func(Xi), Xi, np.cov(Xi, rowvar=False, bias=True), f"{fname}(X) for an integer X")
    one = np.array([[1.5, -2.0, 4.0]])
    _check_cov(func(one), one, np.zeros((3, 3)), f"{fname}(X) for a single data point")


@case("q1")
def test_mean_naive_example(mean_naive):
    _check_mean(call(mean_naive, _X_EXAMPLE), _X_EXAMPLE, _MEAN_EXAMPLE, "mean_naive(X)")


@case("q1", hidden=True)
def test_mean_naive_hidden(mean_naive):
    _mean_hidden_checks(mean_naive, "mean_naive")


@case("q2")
def test_mean_example(mean):
    _check_mean(call(mean, _X_EXAMPLE), _X_EXAMPLE, _MEAN_EXAMPLE, "mean(X)")
    X = np.array([[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]])
    _check_mean(call(mean, X), X, np.array([2.0, 3.0, 4.0, 5.0]), "mean(X) for a 2 x 4 matrix X")


@case("q2", hidden=True)
def test_mean_hidden(mean):
    _mean_hidden_checks(mean, "mean")


@case("q2", hidden=True)
def test_mean_large(mean):
    X = _random_data(12, 1000, 64, offset=8.0)
    _check_mean(mean(X), X, X.mean(axis=0), "mean(X) for X of shape (1000, 64)")


@case("q3")
def test_cov_naive_example(cov_naive):
    S = call(cov_naive, _X_EXAMPLE)
    arr = as_float_array(S, "cov_naive(X)")
    if arr.shape == (2, 2) and np.allclose(arr, _COV_EXAMPLE_N_MINUS_1):
        raise AssertionError("cov_naive(X) divides by N - 1; divide by N instead.")
    if arr.shape == (2, 2) and np.allclose(arr, _COV_EXAMPLE_UNCENTRED):
        raise AssertionError("cov_naive(X) is X^T X / N: subtract the mean first.")
    check_array(arr, _COV_EXAMPLE, "cov_naive(X)")


@case("q3", hidden=True)
def test_cov_naive_hidden(cov_naive):
    _cov_hidden_checks(cov_naive, "cov_naive")


@case("q4")
def test_cov_example(cov):
    S = call(cov, _X_EXAMPLE)
    arr = as_float_array(S, "cov(X)")
    if arr.shape == (2, 2) and np.allclose(arr, _COV_EXAMPLE_N_MINUS_1):
        raise AssertionError("cov(X) divides by N - 1; divide by N instead.")
    if arr.shape == (2, 2) and np.allclose(arr, _COV_EXAMPLE_UNCENTRED):
        raise AssertionError("cov(X) is X^T X / N: subtract the mean first.")
    check_array(arr, _COV_EXAMPLE, "cov(X)")
    assert np.allclose(arr, arr.T), "cov(X) should be a symmetric matrix."


@case("q4", hidden=True)
def test_cov_hidden(cov):
    _cov_hidden_checks(cov, "cov")


@case("q4", hidden=True)
def test_cov_large(cov):
    X = _random_data(13, 1000, 64, offset=8.0)
    before = X.copy()
    S = cov(X)
    _check_cov(S, X, np.cov(before, rowvar=False, bias=True), "cov(X) for X of shape (1000, 64)")
    check_unchanged(before, X, "X")


def _affine_mean_example(affine_mean):
    A = np.array([[1.0, 2.0], [0.0, 1.0]])
    b = np.array([1.0, -1.0])
    m = np.array([1.0, 1.0])
    check_array(call(affine_mean, m, A, b), [4.0, 0.0], "affine_mean(mean, A, b)")


def _affine_covariance_example(affine_covariance):
    A = np.array([[1.0, 2.0], [0.0, 1.0]])
    b = np.array([1.0, -1.0])
    S = np.array([[2.0, 1.0], [1.0, 1.0]])
    expected = [[10.0, 3.0], [3.0, 1.0]]
    check_array(call(affine_covariance, S, A, b), expected, "affine_covariance(S, A, b)")


@case("q5")
def test_affine_example(affine_mean, affine_covariance):
    # a wrong affine_mean must not hide a wrong affine_covariance
    check_each(
        lambda: _affine_mean_example(affine_mean),
        lambda: _affine_covariance_example(affine_covariance),
    )


@case("q5", hidden=True)
def test_affine_mean_hidden(affine_mean):
    rng = np.random.default_rng(21)
    for D in (2, 4, 7):
        X = rng.normal(size=(60, D)) + 2.0
        A = rng.normal(size=(D, D))
        b = rng.normal(size=D) * 5
        m = X.mean(axis=0)
        args = (m.copy(), A.copy(), b.copy())
        expected = (X @ A.T + b).mean(axis=0)
        check_array(affine_mean(*args), expected, f"affine_mean(mean, A, b) with D = {D}")
        for before, after, name in zip((m, A, b), args, ("mean", "A", "b")):
            check_unchanged(before, after, name)
    D = 3
    check_array(
        affine_mean(np.array([1.0, 2.0, 3.0]), 2 * np.eye(D), np.ones(D)),
        [3.0, 5.0, 7.0],
        "affine_mean(mean, 2I, 1)",
    )


@case("q5", hidden=True)
def test_affine_covariance_hidden(affine_covariance):
    rng = np.random.default_rng(22)
    for D in (2, 4, 7):
        X = rng.normal(size=(60, D)) @ rng.normal(size=(D, D))
        A = rng.normal(size=(D, D))
        b = rng.normal(size=D) * 5
        S = np.cov(X, rowvar=False, bias=True)
        args = (S.copy(), A.copy(), b.copy())
        expected = np.cov(X @ A.T + b, rowvar=False, bias=True)
        check_array(
            affine_covariance(*args),
            expected,
            f"affine_covariance(S, A, b) with D = {D}",
            rtol=1e-6,
            atol=1e-8,
        )
        for before, after, name in zip((S, A, b), args, ("S", "A", "b")):
            check_unchanged(before, after, name)
    S = np.array([[2.0, 0.5], [0.5, 1.0]])
    check_array(
        affine_covariance(S, 2 * np.eye(2), np.ones(2)), 4 * S, "affine_covariance(S, 2I, 1)"
    )
