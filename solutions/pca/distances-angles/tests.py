"""Tests for distances-angles."""

import numpy as np

from autograder.checks import (
    as_float_array,
    call,
    check_array,
    check_each,
    check_integer,
    check_scalar,
    check_unchanged,
)
from autograder.testing import case

# What the notebook promises about vectors, said when a call with columns raises.
_COLUMNS = (
    "The notebook asks that vectors of shape (D, 1) work as well as (D,): this call passes "
    "columns of shape (3, 1); reshape them (e.g. with `.ravel()`) before using `@`."
)

# The worked example of the notebook.
_X0 = np.array([1.0, 2.0, 2.0])
_X1 = np.array([3.0, 0.0, 4.0])


def _ref_angle(a, b):
    """Angle by atan2 of the sine and cosine parts: exact for (anti)parallel vectors."""
    a, b = np.ravel(a).astype(float), np.ravel(b).astype(float)
    along = a @ b
    across = np.linalg.norm(np.linalg.norm(b) ** 2 * a - along * b) / np.linalg.norm(b)
    return float(np.arctan2(across, along))


def _ref_pairwise(X, Y):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    # every difference at once (a loop over pairs was a quarter of this assignment's grading)
    return np.linalg.norm(X[:, None, :] - Y[None, :, :], axis=-1).reshape(len(X), len(Y))


def _ref_knn(k, X, y, x):
    order = np.argsort(np.linalg.norm(X - x, axis=1))
    votes = {}
    for label in np.asarray(y)[order[:k]]:
        votes[int(label)] = votes.get(int(label), 0) + 1
    best = max(votes.values())
    return min(label for label, count in votes.items() if count == best)


def _check_distance(value, expected, name):
    arr = as_float_array(value, name)
    if arr.size == 1 and expected > 0 and np.isclose(float(arr.reshape(-1)[0]), expected**2):
        raise AssertionError(f"{name} is the squared distance; take the square root.")
    check_scalar(arr, expected, name, rtol=1e-7, atol=1e-9)


def _check_angle(value, expected, name):
    arr = as_float_array(value, name)
    if (
        arr.size == 1
        and expected > 0
        and np.isclose(float(arr.reshape(-1)[0]), np.degrees(expected))
    ):
        raise AssertionError(f"{name} is in degrees; return radians (as np.arccos does).")
    check_scalar(arr, expected, name, rtol=1e-6, atol=1e-6)


def _check_matrix(D, X, Y, name):
    arr = as_float_array(D, name)
    N, M = len(X), len(Y)
    if arr.shape == (M, N) and N != M:
        raise AssertionError(
            f"{name} has shape {arr.shape}: rows should belong to X and columns to Y, "
            f"shape ({N}, {M})."
        )
    expected = _ref_pairwise(X, Y)
    if arr.shape == expected.shape and np.allclose(arr, expected**2) and expected.max() > 1.5:
        raise AssertionError(f"{name} holds squared distances; take the square root.")
    return check_array(arr, expected, name, rtol=1e-6, atol=1e-6)


def _distance_examples(distance):
    """The worked example, as (D,) vectors and as (D, 1) columns."""
    _check_distance(call(distance, _X0, _X1), np.sqrt(12.0), "distance([1, 2, 2], [3, 0, 4])")
    columns = _X0.reshape(3, 1), _X1.reshape(3, 1)
    _check_distance(
        call(distance, *columns, convention=_COLUMNS),
        np.sqrt(12.0),
        "distance for vectors of shape (3, 1)",
    )


def _angle_examples(angle):
    """The worked example, a right angle, and the example as (D, 1) columns."""
    _check_angle(call(angle, _X0, _X1), np.arccos(11 / 15), "angle([1, 2, 2], [3, 0, 4])")
    right = call(angle, np.array([1.0, 0.0]), np.array([0.0, 2.0]))
    _check_angle(right, np.pi / 2, "angle([1, 0], [0, 2])")
    columns = _X0.reshape(3, 1), _X1.reshape(3, 1)
    _check_angle(
        call(angle, *columns, convention=_COLUMNS),
        np.arccos(11 / 15),
        "angle for vectors of shape (3, 1)",
    )


@case("q1")
def test_distance_angle_example(distance, angle):
    # a wrong distance must not hide a wrong angle
    check_each(lambda: _distance_examples(distance), lambda: _angle_examples(angle))


@case("q1", hidden=True)
def test_distance_hidden(distance):
    rng = np.random.default_rng(7)
    for D in (1, 2, 5, 64):
        a, b = rng.normal(size=D) * 3, rng.normal(size=D) * 3
        a0, b0 = a.copy(), b.copy()
        expected = float(np.linalg.norm(a0 - b0))
        _check_distance(distance(a, b), expected, f"distance for random vectors with D = {D}")
        check_unchanged(a0, a, "x0")
        check_unchanged(b0, b, "x1")
        _check_distance(
            distance(a.reshape(D, 1), b.reshape(D, 1)),
            expected,
            f"distance for random vectors of shape ({D}, 1)",
        )
        _check_distance(distance(a, a), 0.0, "distance(x, x)")
    ai, bi = np.array([3, 1, 7, 0]), np.array([0, 5, 7, 12])
    _check_distance(distance(ai, bi), 13.0, "distance for integer vectors")


@case("q1", hidden=True)
def test_angle_hidden(angle):
    rng = np.random.default_rng(8)
    for D in (2, 3, 10, 64):
        a, b = rng.normal(size=D), rng.normal(size=D)
        a0, b0 = a.copy(), b.copy()
        expected = _ref_angle(a0, b0)
        _check_angle(angle(a, b), expected, f"angle for random vectors with D = {D}")
        check_unchanged(a0, a, "x0")
        check_unchanged(b0, b, "x1")
        _check_angle(
            angle(a.reshape(D, 1), b.reshape(D, 1)),
            expected,
            f"angle for random vectors of shape ({D}, 1)",
        )
        _check_angle(angle(5 * a, 0.5 * b), expected, "angle after rescaling both vectors")


@case("q1", hidden=True)
def test_angle_parallel_vectors(angle):
    vectors = [
        [1.0, 1.0, 1.0],
        [13.7, -6.7, 3.5],
        [-23.3, -2.2, -12.5],
        [15.8, 13.2, 6.3],
        [0.3, 0.7, 1.1],
        [16.3, 2.7, -12.3],  # cosine of (x, -x) rounds to just below -1
    ]
    for v in vectors:
        x = np.array(v)
        for other, expected, what in [(x, 0.0, "x"), (2 * x, 0.0, "2 x"), (-x, np.pi, "-x")]:
            value = angle(x, other)
            arr = as_float_array(value, "angle")
            if arr.size == 1 and np.isnan(arr.reshape(-1)[0]):
                raise AssertionError(
                    f"angle(x, {what}) for x = {v} is nan: rounding put the cosine just outside "
                    "[-1, 1]; clip it with np.clip before np.arccos."
                )
            _check_angle(value, expected, f"angle(x, {what}) for x = {v}")
    _check_angle(
        angle(np.array([2.0, 0.0]), np.array([-1.0, 1.0])), 3 * np.pi / 4, "angle([2, 0], [-1, 1])"
    )


@case("q2")
def test_pairwise_example(pairwise_distance_matrix):
    X = np.array([[0.0, 0.0], [3.0, 4.0]])
    Y = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 1.0]])
    expected = np.array([[0.0, 3.0, 1.0], [5.0, 4.0, np.sqrt(18.0)]])
    _check_matrix(call(pairwise_distance_matrix, X, Y), X, Y, "pairwise_distance_matrix(X, Y)")
    check_array(call(pairwise_distance_matrix, X, Y), expected, "pairwise_distance_matrix(X, Y)")


@case("q2", hidden=True)
def test_pairwise_hidden(pairwise_distance_matrix):
    rng = np.random.default_rng(9)
    for N, M, D in [(5, 7, 3), (8, 1, 4), (1, 6, 2), (4, 9, 1), (20, 30, 64)]:
        X, Y = rng.normal(size=(N, D)) * 4, rng.normal(size=(M, D)) * 4 + 1
        X0, Y0 = X.copy(), Y.copy()
        _check_matrix(
            pairwise_distance_matrix(X, Y),
            X0,
            Y0,
            f"pairwise_distance_matrix(X, Y) for X {X.shape} and Y {Y.shape}",
        )
        check_unchanged(X0, X, "X")
        check_unchanged(Y0, Y, "Y")


@case("q2", hidden=True)
def test_pairwise_same_points(pairwise_distance_matrix):
    rng = np.random.default_rng(10)
    X = rng.normal(size=(6, 5)) * 10 + 3
    D = _check_matrix(pairwise_distance_matrix(X, X), X, X, "pairwise_distance_matrix(X, X)")
    assert np.allclose(np.diag(as_float_array(D, "D")), 0.0, atol=1e-6), (
        "the diagonal of pairwise_distance_matrix(X, X) should be 0."
    )
    Xi = rng.integers(0, 17, size=(5, 4))
    Yi = rng.integers(0, 17, size=(3, 4))
    _check_matrix(
        pairwise_distance_matrix(Xi, Yi),
        Xi,
        Yi,
        "pairwise_distance_matrix(X, Y) for integer X and Y",
    )


@case("q3")
def test_knn_example(knn):
    X = np.array([[0.0], [1.0], [3.0], [4.0]])
    y = np.array([2, 1, 2, 1])
    x = np.array([0.2])
    check_integer(call(knn, 3, X, y, x), 2, "knn(3, X, y, x) for the example of the text")
    check_integer(
        call(knn, 2, X, y, x), 1, "knn(2, X, y, x) (a tie between 2 and 1: the smallest wins)"
    )
    check_integer(call(knn, 1, X, y, x), 2, "knn(1, X, y, x)")
    P = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0]])
    q = np.array([5.4, 4.0])
    check_integer(call(knn, 2, P, np.array([0, 0, 0, 1, 1]), q), 1, "knn(2, P, labels, [5.4, 4])")
    check_integer(call(knn, 5, P, np.array([0, 0, 0, 1, 1]), q), 0, "knn(5, P, labels, [5.4, 4])")


@case("q3", hidden=True)
def test_knn_ties_and_counts(knn):
    rng = np.random.default_rng(11)
    # Points at distance 1, 2, ..., 7 from x along a random direction, rows shuffled.
    direction = rng.normal(size=3)
    direction /= np.linalg.norm(direction)
    x = rng.normal(size=3)
    labels_by_rank = np.array([7, 4, 7, 4, 9, 9, 4])
    X_sorted = x + np.arange(1, 8)[:, None] * direction
    perm = rng.permutation(7)
    X, y = X_sorted[perm], labels_by_rank[perm]
    # k: 1 -> 7; 2 -> tie 7/4 -> 4; 3 -> 7; 4 -> tie -> 4; 5 -> tie 7/4 -> 4;
    # 6 -> three-way tie -> 4; 7 -> 4 (three votes)
    expected = {1: 7, 2: 4, 3: 7, 4: 4, 5: 4, 6: 4, 7: 4}
    X0, y0, x0 = X.copy(), y.copy(), x.copy()
    for k, label in expected.items():
        check_integer(
            knn(k, X, y, x),
            label,
            f"knn({k}, X, y, x) where the labels from nearest to farthest are "
            f"{labels_by_rank.tolist()}",
        )
    check_unchanged(X0, X, "X")
    check_unchanged(y0, y, "y")
    check_unchanged(x0, x, "x")


@case("q3", hidden=True)
def test_knn_random(knn):
    rng = np.random.default_rng(12)
    for N, D, C in [(40, 2, 3), (60, 5, 4), (25, 64, 10)]:
        X = rng.normal(size=(N, D))
        y = rng.integers(0, C, size=N)
        for k in (1, 2, 3, 5, 8, N):
            x = rng.normal(size=D)
            check_integer(
                knn(k, X, y, x),
                _ref_knn(k, X, y, x),
                f"knn({k}, X, y, x) for random data with N = {N}, D = {D}",
            )
    # a query that is itself a training point counts as its own neighbour
    X = np.array([[0.0, 0.0], [0.0, 2.0], [0.0, 3.0]])
    check_integer(knn(1, X, np.array([5, 1, 1]), np.array([0.0, 0.0])), 5, "knn(1, X, y, X[0])")


@case("q4")
def test_most_similar_example(most_similar_image):
    X = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 1.0], [10.0, 10.0]])
    for i, j in [(0, 2), (1, 0), (2, 0), (3, 1)]:
        check_integer(call(most_similar_image, X, i), j, f"most_similar_image(X, {i})")


@case("q4", hidden=True)
def test_most_similar_duplicates_and_order(most_similar_image):
    rng = np.random.default_rng(13)
    X = rng.normal(size=(9, 6)) * 5
    X[6] = X[2]  # an exact copy: the answer for i = 2 and for i = 6
    X0 = X.copy()
    check_integer(
        most_similar_image(X, 2), 6, "most_similar_image(X, 2) when X[6] is an exact copy of X[2]"
    )
    check_integer(
        most_similar_image(X, 6), 2, "most_similar_image(X, 6) when X[2] is an exact copy of X[6]"
    )
    check_unchanged(X0, X, "X")
    # a longer copy of X[0] points the same way but is far away; X[4] is nearer
    Y = np.array([[1.0, 1.0], [4.0, 4.0], [10.0, 0.0], [-5.0, 5.0], [1.5, 0.2]])
    check_integer(most_similar_image(Y, 0), 4, "most_similar_image(Y, 0) (by distance, not angle)")
    two = np.array([[1.0, 2.0], [7.0, -1.0]])
    check_integer(most_similar_image(two, 0), 1, "most_similar_image of the first of two images")
    check_integer(most_similar_image(two, 1), 0, "most_similar_image of the second of two images")


@case("q4", hidden=True)
def test_most_similar_random(most_similar_image):
    rng = np.random.default_rng(14)
    X = rng.uniform(0, 16, size=(40, 64))
    D = _ref_pairwise(X, X) + np.diag(np.full(40, np.inf))
    X0 = X.copy()
    for i in (0, 1, 7, 20, 38, 39):
        check_integer(
            most_similar_image(X, i),
            int(np.argmin(D[i])),
            f"most_similar_image(X, {i}) for 40 random images",
        )
    check_unchanged(X0, X, "X")
