"""Mathematical properties of the reference solution of pca."""

import numpy as np

from .conftest import load_solution

sol = load_solution("pca")
rng = np.random.default_rng(0)


def _data(N, D):
    scales = 3.0 * 0.7 ** np.arange(D)
    return rng.normal(size=(N, D)) * scales @ np.linalg.qr(rng.normal(size=(D, D)))[0] + 5.0


def test_normalize_centres_without_scaling():
    X = _data(30, 4)
    X0 = X.copy()
    Xbar, mu = sol.normalize(X)
    assert mu.shape == (4,)
    assert np.allclose(Xbar.mean(axis=0), 0)
    assert np.allclose(Xbar + mu, X)
    assert np.allclose(Xbar.std(axis=0), X.std(axis=0))
    assert np.array_equal(X, X0)


def test_eig_sorted_orthonormal_eigenpairs():
    A = rng.normal(size=(6, 6))
    S = A + A.T
    values, vectors = sol.eig(S)
    assert np.all(np.diff(values) <= 0)
    assert np.allclose(S @ vectors, vectors * values)
    assert np.allclose(vectors.T @ vectors, np.eye(6))
    assert np.allclose(values, np.sort(np.linalg.eigvals(S).real)[::-1])


def test_projection_matrix_is_orthogonal_projection():
    B = rng.normal(size=(7, 3))
    P = sol.projection_matrix(B)
    assert np.allclose(P, P.T) and np.allclose(P @ P, P)
    assert np.allclose(P @ B, B)
    assert np.isclose(np.trace(P), 3)


def test_pca_matches_svd():
    X = _data(50, 5)
    reconst, mean, values, comps = sol.pca(X, 2)
    assert reconst.shape == (50, 5) and mean.shape == (5,)
    assert values.shape == (2,) and comps.shape == (5, 2)
    _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    assert np.allclose(values, s[:2] ** 2 / 50)
    assert np.allclose(np.abs(comps.T @ Vt[:2].T), np.eye(2))
    assert np.allclose(comps.T @ comps, np.eye(2))


def test_pca_error_is_sum_of_left_out_values():
    X = _data(80, 6)
    all_values = sol.pca(X, 6)[2]
    for m in (1, 3, 5):
        reconst = sol.pca(X, m)[0]
        error = np.mean(np.sum((X - reconst) ** 2, axis=1))
        assert np.isclose(error, all_values[m:].sum())
    assert np.allclose(sol.pca(X, 6)[0], X)


def test_pca_high_dim_agrees_with_pca():
    X = _data(10, 25)
    for m in (1, 4, 9):
        a, b = sol.pca(X, m), sol.pca_high_dim(X, m)
        assert np.allclose(a[0], b[0]) and np.allclose(a[1], b[1]) and np.allclose(a[2], b[2])
        assert np.allclose(np.abs(np.sum(a[3] * b[3], axis=0)), 1)
        assert np.allclose(np.linalg.norm(b[3], axis=0), 1)


def test_worked_examples():
    X4 = np.array([[2.0, 1.0], [4.0, -1.0], [6.0, 5.0], [8.0, 3.0]])
    reconst, mean, values, comps = sol.pca(X4, 1)
    assert np.allclose(values, [8.0]) and np.allclose(mean, [5.0, 2.0])
    assert np.allclose(reconst, [[3, 0], [3, 0], [7, 4], [7, 4]])
    X34 = np.array([[3.0, 2.0, 5.0, 4.0], [0.0, 3.0, 2.0, 5.0], [0.0, 1.0, 2.0, 3.0]])
    values = sol.pca_high_dim(X34, 2)[2]
    assert np.allclose(values, [4.0, 4.0 / 3.0])
