"""Properties of the mean-covariance reference solution."""

import numpy as np

from .conftest import load_solution

sol = load_solution("mean-covariance")
RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 5)) @ RNG.normal(size=(5, 5)) + 3.0


def test_means_agree_with_numpy():
    for f in (sol.mean_naive, sol.mean):
        m = f(X)
        assert m.shape == (5,)
        assert np.allclose(m, X.mean(axis=0))


def test_covariances_agree_with_numpy_and_each_other():
    expected = np.cov(X, rowvar=False, bias=True)
    for f in (sol.cov_naive, sol.cov):
        S = f(X)
        assert S.shape == (5, 5)
        assert np.allclose(S, expected)
        assert np.allclose(S, S.T)
        assert np.linalg.eigvalsh(S).min() > -1e-10  # positive semi-definite


def test_integer_data_and_single_point():
    Xi = RNG.integers(0, 17, size=(9, 4))
    assert np.allclose(sol.mean_naive(Xi), Xi.mean(axis=0))
    assert np.allclose(sol.cov_naive(Xi), sol.cov(Xi))
    one = np.array([[1.0, 2.0, 3.0]])
    assert np.allclose(sol.cov(one), 0) and np.allclose(sol.cov_naive(one), 0)


def test_inputs_unchanged():
    before = X.copy()
    for f in (sol.mean_naive, sol.mean, sol.cov_naive, sol.cov):
        f(X)
    assert np.array_equal(X, before)


def test_affine_maps_match_transformed_data():
    A = RNG.normal(size=(5, 5))
    b = RNG.normal(size=5)
    Y = X @ A.T + b
    assert np.allclose(sol.affine_mean(sol.mean(X), A, b), Y.mean(axis=0))
    assert np.allclose(sol.affine_covariance(sol.cov(X), A, b), sol.cov(Y))
    # a pure shift leaves the covariance alone
    assert np.allclose(sol.affine_covariance(sol.cov(X), np.eye(5), b), sol.cov(X))
