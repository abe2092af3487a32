"""Properties of the distances-angles reference solution."""

import numpy as np

from .conftest import load_solution

sol = load_solution("distances-angles")
RNG = np.random.default_rng(0)


def test_distance_is_a_metric_and_accepts_columns():
    a, b, c = RNG.normal(size=(3, 6))
    assert np.isclose(sol.distance(a, b), np.linalg.norm(a - b))
    assert np.isclose(sol.distance(a, b), sol.distance(b, a))
    assert sol.distance(a, c) <= sol.distance(a, b) + sol.distance(b, c) + 1e-12
    assert sol.distance(a, a) == 0.0
    assert np.isclose(sol.distance(a[:, None], b[:, None]), sol.distance(a, b))
    assert isinstance(sol.distance(a, b), float)


def test_angle_range_symmetry_and_parallel_vectors():
    a, b = RNG.normal(size=(2, 5))
    w = sol.angle(a, b)
    assert 0 <= w <= np.pi and np.isclose(w, sol.angle(b, a))
    assert np.isclose(np.cos(w), a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert np.isclose(sol.angle(a[:, None], b[:, None]), w)
    x = np.array([1.0, 1.0, 1.0])  # rounding puts the unclipped cosine above 1
    assert np.isclose(sol.angle(x, x), 0.0, atol=1e-7)
    assert np.isclose(sol.angle(x, -3 * x), np.pi)
    assert np.isclose(sol.angle(np.array([1.0, 0.0]), np.array([0.0, 5.0])), np.pi / 2)


def test_pairwise_matches_distance():
    X, Y = RNG.normal(size=(4, 3)), RNG.normal(size=(6, 3))
    D = sol.pairwise_distance_matrix(X, Y)
    assert D.shape == (4, 6)
    assert np.allclose(D, [[sol.distance(x, y) for y in Y] for x in X])
    assert np.allclose(np.diag(sol.pairwise_distance_matrix(X, X)), 0)
    assert np.allclose(sol.pairwise_distance_matrix(Y, X), D.T)


def test_knn_votes_and_ties():
    X = np.array([[0.0], [1.0], [3.0], [4.0]])
    y = np.array([2, 1, 2, 1])
    assert [sol.knn(k, X, y, np.array([0.2])) for k in (1, 2, 3, 4)] == [2, 1, 2, 1]
    assert isinstance(sol.knn(1, X, y, np.array([0.2])), int)


def test_most_similar_excludes_itself_but_not_copies():
    X = RNG.normal(size=(8, 4))
    for i in range(8):
        j = sol.most_similar_image(X, i)
        d = np.linalg.norm(X - X[i], axis=1)
        assert j != i and np.isclose(d[j], np.min(np.delete(d, i)))
    X[5] = X[1]
    before = X.copy()
    assert sol.most_similar_image(X, 1) == 5 and sol.most_similar_image(X, 5) == 1
    assert np.array_equal(X, before)
