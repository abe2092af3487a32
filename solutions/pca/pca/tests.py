"""Tests for pca: centring, sorted eigenpairs, projections and PCA two ways."""

import numpy as np

from autograder.checks import (
    after_earlier,
    as_float_array,
    call,
    check_array,
    check_columns_up_to_sign,
    check_not_missing,
    check_unchanged,
)
from autograder.testing import case

# Worked example of the notebook: four points in the plane, covariance [[5, 3], [3, 5]].
_X4 = np.array([[2.0, 1.0], [4.0, -1.0], [6.0, 5.0], [8.0, 3.0]])
# Worked example with fewer points than dimensions (N = 3, D = 4).
_X34 = np.array([[3.0, 2.0, 5.0, 4.0], [0.0, 3.0, 2.0, 5.0], [0.0, 1.0, 2.0, 3.0]])
_SQ2 = np.sqrt(2.0)


def _rng():
    return np.random.default_rng(7)


def _spd(rng, values):
    """A random symmetric matrix with the given eigenvalues, and its eigenvectors as columns."""
    Q, _ = np.linalg.qr(rng.normal(size=(len(values), len(values))))
    return Q @ np.diag(values) @ Q.T, Q


def _data(rng, N, D, scale=3.0):
    """Data with clearly separated variances along random directions and a far-off mean."""
    Q, _ = np.linalg.qr(rng.normal(size=(D, D)))
    spread = scale * 0.6 ** np.arange(D)
    Z = rng.normal(size=(N, D))
    Z = (Z - Z.mean(axis=0)) * spread
    return Z @ Q.T + rng.normal(size=D) * 10


def _ref_pca(X, M):
    """PCA through the singular value decomposition of the centred data."""
    mean = X.mean(axis=0)
    _, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    V = Vt[:M].T
    return (X - mean) @ V @ V.T + mean, mean, s[:M] ** 2 / len(X), V


def _tuple(result, n, name):
    check_not_missing(result, name)
    if not isinstance(result, tuple | list) or len(result) != n:
        raise AssertionError(f"{name} should return a tuple of {n} values, not {type(result)}.")
    return result


def _check_pca(result, X, M, name):
    """Compare a (reconst, mean, values, components) tuple with the SVD reference."""
    reconst, mean, values, comps = _tuple(result, 4, name)
    r_ref, m_ref, v_ref, c_ref = _ref_pca(X, M)
    N, D = X.shape
    comps = check_columns_up_to_sign(comps, c_ref, f"the principal components of {name}")
    lengths = np.linalg.norm(comps, axis=0)
    assert np.allclose(lengths, 1.0), (
        f"the principal components of {name} should have length 1, but have lengths {lengths}."
    )
    check_array(values, v_ref, f"the principal values of {name} (covariance divided by N)")
    check_array(mean, m_ref, f"the mean returned by {name}")
    check_array(reconst, r_ref, f"the reconstruction returned by {name}", atol=1e-6)


# ---------------------------------------------------------------- q1: normalize


def _normalize_example(normalize):
    """q1's public check; q4 and q5 run it too, to say when their failure starts here."""
    X = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    Xbar, mu = _tuple(call(normalize, X), 2, "normalize(X)")
    check_array(mu, np.array([3.0, 6.0]), "mu of normalize(X)", vector=True)
    check_array(Xbar, np.array([[-2.0, -4.0], [0.0, 0.0], [2.0, 4.0]]), "Xbar of normalize(X)")


def _eig_example(eig):
    """q2's public check of a 2 x 2 matrix, for the same purpose."""
    S = np.array([[2.0, 1.0], [1.0, 2.0]])
    values, vectors = _tuple(call(eig, S), 2, "eig(S)")
    check_array(
        values, np.array([3.0, 1.0]), "the eigenvalues of eig(S) (largest first)", vector=True
    )
    expected = np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2.0)
    check_columns_up_to_sign(vectors, expected, "the eigenvectors of eig(S) (columns, unit length)")


def _projection_example(projection_matrix):
    """q3's public check, for the same purpose."""
    B = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    expected = np.array([[2.0, -1.0, 1.0], [-1.0, 2.0, 1.0], [1.0, 1.0, 2.0]]) / 3
    check_array(
        call(projection_matrix, B),
        expected,
        "projection_matrix(B) onto the span of (1,0,1), (0,1,1)",
    )


def _pca_builds_on(normalize, eig, projection_matrix):
    """The earlier functions that the notebook asks pca and pca_high_dim to use."""
    return (
        ("q1", "normalize", lambda: _normalize_example(normalize)),
        ("q2", "eig", lambda: _eig_example(eig)),
        ("q3", "projection_matrix", lambda: _projection_example(projection_matrix)),
    )


@case("q1")
def test_normalize_example(normalize):
    _normalize_example(normalize)


@case("q1", hidden=True)
def test_normalize_random(normalize):
    rng = _rng()
    X = rng.normal(size=(40, 4)) * np.array([0.1, 2.0, 50.0, 1.0]) + np.array([5, -3, 100, 0])
    kept = X.copy()
    Xbar, mu = _tuple(normalize(X), 2, "normalize(X)")
    check_unchanged(kept, X, "X")
    check_array(mu, kept.mean(axis=0), "mu", vector=True)
    Xbar = check_array(Xbar, kept - kept.mean(axis=0), "Xbar (only centred, not scaled)")
    assert np.allclose(Xbar.mean(axis=0), 0), "the columns of Xbar should have mean zero."


@case("q1", hidden=True)
def test_normalize_edge_cases(normalize):
    X = np.array([[1.0, 7.0, -2.0]])
    Xbar, mu = _tuple(normalize(X), 2, "normalize of a single row")
    check_array(Xbar, np.zeros((1, 3)), "Xbar of a single row")
    check_array(mu, X[0], "mu of a single row", vector=True)
    Y = np.array([[2.0, 1.0], [2.0, 3.0], [2.0, 8.0]])  # a constant column
    Ybar, nu = _tuple(normalize(Y), 2, "normalize(Y)")
    check_array(
        Ybar, np.array([[0.0, -3.0], [0.0, -1.0], [0.0, 4.0]]), "Xbar with a constant column"
    )
    check_array(nu, np.array([2.0, 4.0]), "mu with a constant column", vector=True)


# ---------------------------------------------------------------- q2: eig


@case("q2")
def test_eig_diagonal(eig):
    S = np.diag([1.0, 3.0, 2.0])
    values, vectors = _tuple(call(eig, S), 2, "eig(S)")
    check_array(
        values, np.array([3.0, 2.0, 1.0]), "the eigenvalues of eig(S) (largest first)", vector=True
    )
    expected = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    check_columns_up_to_sign(vectors, expected, "the eigenvectors of eig(S) (as columns)")


@case("q2")
def test_eig_two_by_two(eig):
    _eig_example(eig)


@case("q2", hidden=True)
def test_eig_random_covariance(eig):
    rng = _rng()
    true_values = np.array([9.0, 6.5, 4.0, 2.0, 0.7, 0.1])
    S, Q = _spd(rng, true_values[::-1])  # built in ascending order on purpose
    kept = S.copy()
    values, vectors = _tuple(eig(S), 2, "eig(S)")
    check_unchanged(kept, S, "S")
    check_array(values, true_values, "the eigenvalues (largest first)", vector=True)
    V = check_columns_up_to_sign(vectors, Q[:, ::-1], "the eigenvectors (as columns)")
    assert np.allclose(S @ V, V * true_values, atol=1e-8), "S v = lambda v fails for a column."
    assert np.allclose(V.T @ V, np.eye(6), atol=1e-8), "the eigenvectors should be orthonormal."


@case("q2", hidden=True)
def test_eig_sorted_by_value_not_size(eig):
    rng = _rng()
    S, Q = _spd(rng, np.array([1.0, -6.0, 4.0]))
    values, vectors = _tuple(eig(S), 2, "eig(S) of a matrix with a negative eigenvalue")
    check_array(values, np.array([4.0, 1.0, -6.0]), "the eigenvalues (largest first)", vector=True)
    check_columns_up_to_sign(vectors, Q[:, [2, 0, 1]], "the eigenvectors (as columns)")


@case("q2", hidden=True)
def test_eig_edge_cases(eig):
    values, vectors = _tuple(eig(np.array([[2.5]])), 2, "eig of a 1x1 matrix")
    check_array(values, np.array([2.5]), "the eigenvalue of [[2.5]]", vector=True)
    check_columns_up_to_sign(vectors, np.ones((1, 1)), "the eigenvector of [[2.5]]")
    rng = _rng()
    A = rng.normal(size=(2, 5))
    S = A.T @ A  # rank 2: three zero eigenvalues, whose eigenvectors are not unique
    values, vectors = _tuple(eig(S), 2, "eig of a singular matrix")
    expected = np.concatenate([np.linalg.eigvalsh(A @ A.T)[::-1], np.zeros(3)])
    check_array(values, expected, "the eigenvalues of a singular matrix", atol=1e-9, vector=True)
    V = as_float_array(vectors, "the eigenvectors")
    assert V.shape == (5, 5), f"the eigenvectors have shape {V.shape}, expected (5, 5)."
    assert np.allclose(S @ V, V * expected, atol=1e-8), "S v = lambda v fails for a column."


# ---------------------------------------------------------------- q3: projection_matrix


@case("q3")
def test_projection_matrix_examples(projection_matrix):
    axes = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    check_array(
        call(projection_matrix, axes),
        np.diag([1.0, 1.0, 0.0]),
        "projection_matrix(B) onto the x-y plane",
    )
    _projection_example(projection_matrix)


@case("q3", hidden=True)
def test_projection_matrix_random(projection_matrix):
    rng = _rng()
    for D, M in ((5, 2), (8, 3)):
        B = rng.normal(size=(D, M)) + 1.5
        kept = B.copy()
        Q, _ = np.linalg.qr(B)
        P = check_array(projection_matrix(B), Q @ Q.T, f"projection_matrix of a {D}x{M} B")
        check_unchanged(kept, B, "B")
        assert np.allclose(P @ P, P) and np.allclose(P, P.T), "P must be symmetric, P @ P = P."
        A = np.eye(M) + np.diag(np.full(M - 1, 2.0), 1) - np.diag(np.ones(M - 1), -1)
        check_array(
            projection_matrix(B @ A),
            Q @ Q.T,
            "projection_matrix of another basis of the same subspace",
        )


@case("q3", hidden=True)
def test_projection_matrix_orthonormal_and_one_column(projection_matrix):
    rng = _rng()
    Q, _ = np.linalg.qr(rng.normal(size=(6, 3)))
    check_array(projection_matrix(Q), Q @ Q.T, "projection_matrix of orthonormal columns")
    b = np.array([[2.0], [0.0], [-1.0]])
    check_array(projection_matrix(b), b @ b.T / 5, "projection_matrix of one column")


# ---------------------------------------------------------------- q4: pca


@case("q4")
def test_pca_example(pca, normalize, eig, projection_matrix):
    def test():
        reconst, mean, values, comps = _tuple(call(pca, _X4, 1), 4, "pca(X, 1)")
        check_array(mean, np.array([5.0, 2.0]), "the mean of pca(X, 1)")
        check_array(values, np.array([8.0]), "principal_values of pca(X, 1) (covariance / N)")
        check_columns_up_to_sign(
            comps, np.array([[1.0], [1.0]]) / _SQ2, "principal_components of pca(X, 1)"
        )
        expected = np.array([[3.0, 0.0], [3.0, 0.0], [7.0, 4.0], [7.0, 4.0]])
        check_array(reconst, expected, "reconst of pca(X, 1) (projection plus the mean)")

    after_earlier(test, *_pca_builds_on(normalize, eig, projection_matrix))


@case("q4")
def test_pca_all_components(pca, normalize, eig, projection_matrix):
    def test():
        reconst, mean, values, comps = _tuple(call(pca, _X4, 2), 4, "pca(X, 2)")
        check_array(values, np.array([8.0, 2.0]), "principal_values of pca(X, 2)")
        check_columns_up_to_sign(
            comps,
            np.array([[1.0, 1.0], [1.0, -1.0]]) / _SQ2,
            "principal_components of pca(X, 2) (as columns)",
        )
        check_array(reconst, _X4, "reconst of pca(X, 2), all components (should equal X)")

    after_earlier(test, *_pca_builds_on(normalize, eig, projection_matrix))


@case("q4", hidden=True)
def test_pca_random(pca):
    rng = _rng()
    X = _data(rng, 60, 6)
    kept = X.copy()
    for M in (1, 2, 4):
        _check_pca(pca(X, M), kept, M, f"pca(X, {M})")
    check_unchanged(kept, X, "X")


@case("q4", hidden=True)
def test_pca_full_and_tall(pca):
    rng = _rng()
    X = _data(rng, 25, 4, scale=0.5)
    _check_pca(pca(X, 4), X, 4, "pca(X, D)")
    reconst = pca(X, 4)[0]
    check_array(reconst, X, "the reconstruction with all D components", atol=1e-6)
    Y = _data(rng, 200, 10, scale=5.0)
    _check_pca(pca(Y, 3), Y, 3, "pca(X, 3) on 200 x 10 data")


# ---------------------------------------------------------------- q5: pca_high_dim


@case("q5")
def test_pca_high_dim_example(pca_high_dim, normalize, eig, projection_matrix):
    def test():
        name = "pca_high_dim(X, 1)"
        reconst, mean, values, comps = _tuple(call(pca_high_dim, _X34, 1), 4, name)
        check_array(mean, np.array([1.0, 2.0, 3.0, 4.0]), f"the mean of {name}")
        check_array(values, np.array([4.0]), f"principal_values of {name} (divided by N)")
        check_columns_up_to_sign(
            comps,
            np.array([[1.0], [0.0], [1.0], [0.0]]) / _SQ2,
            f"principal_components of {name} (unit length)",
        )
        expected = np.array([[3.0, 2.0, 5.0, 4.0], [0.0, 2.0, 2.0, 4.0], [0.0, 2.0, 2.0, 4.0]])
        check_array(reconst, expected, f"reconst of {name} (projection plus the mean)")

    after_earlier(test, *_pca_builds_on(normalize, eig, projection_matrix))


@case("q5")
def test_pca_high_dim_two_components(pca_high_dim, normalize, eig, projection_matrix):
    def test():
        name = "pca_high_dim(X, 2)"
        reconst, mean, values, comps = _tuple(call(pca_high_dim, _X34, 2), 4, name)
        check_array(values, np.array([4.0, 4.0 / 3.0]), f"principal_values of {name}")
        expected = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]) / _SQ2
        check_columns_up_to_sign(
            comps, expected, f"principal_components of {name} (D x M, unit length)"
        )
        check_array(reconst, _X34, f"reconst of {name} (the data lie in a plane: it equals X)")

    after_earlier(test, *_pca_builds_on(normalize, eig, projection_matrix))


@case("q5", hidden=True)
def test_pca_high_dim_random(pca_high_dim):
    rng = _rng()
    X = _data(rng, 12, 30, scale=4.0)
    kept = X.copy()
    for M in (1, 3, 6):
        _check_pca(pca_high_dim(X, M), kept, M, f"pca_high_dim(X, {M})")
    check_unchanged(kept, X, "X")


@case("q5", hidden=True)
def test_pca_high_dim_small_n(pca_high_dim):
    rng = _rng()
    X = _data(rng, 5, 64, scale=2.0)
    _check_pca(pca_high_dim(X, 4), X, 4, "pca_high_dim(X, N - 1)")
    check_array(pca_high_dim(X, 4)[0], X, "reconstruction with N - 1 components", atol=1e-6)
    Y = _data(rng, 20, 21)
    _check_pca(pca_high_dim(Y, 2), Y, 2, "pca_high_dim on 20 x 21 data")
