"""Unit tests of the gram-schmidt reference solution."""

import numpy as np

from .conftest import load_solution

sol = load_solution("gram-schmidt")


def _assert_gram_schmidt(B, A, zero_columns=()):
    assert B.shape == A.shape
    mask = np.ones(A.shape[1])
    mask[list(zero_columns)] = 0.0
    np.testing.assert_allclose(B.T @ B, np.diag(mask), atol=1e-10)
    R = B.T @ A
    np.testing.assert_allclose(np.triu(R), R, atol=1e-10)  # span is built in order
    np.testing.assert_allclose(B @ R, A, atol=1e-10)
    assert np.all(np.diag(R)[mask == 1] > 0)


def test_gs_basis4_agrees_with_qr_and_keeps_input():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    before = A.copy()
    B = sol.gs_basis4(A)
    np.testing.assert_array_equal(A, before)
    Q, R = np.linalg.qr(A)
    np.testing.assert_allclose(B, Q * np.sign(np.diag(R)), atol=1e-10)
    _assert_gram_schmidt(B, A)


def test_gs_basis_dependent_and_zero_columns():
    a, b = np.array([1.0, 2.0, 0.0, -1.0, 1.0]), np.array([0.0, 1.0, 1.0, 2.0, 0.0])
    A = np.column_stack([np.zeros(5), a, b, a - 2 * b, b])
    B = sol.gs_basis(A)
    _assert_gram_schmidt(B, A, zero_columns=(0, 3, 4))
    assert sol.dimensions(A) == 2


def test_gs_basis_wide_integer_and_agrees_with_gs_basis4():
    A = np.array([[2, 1, 0, 1, -1], [0, 1, 1, 0, 1], [1, 0, 1, -1, 0]])
    B = sol.gs_basis(A)
    assert B.dtype == float
    _assert_gram_schmidt(B, A.astype(float), zero_columns=(3, 4))
    C = np.random.default_rng(1).normal(size=(4, 4))
    np.testing.assert_allclose(sol.gs_basis(C), sol.gs_basis4(C), atol=1e-12)


def test_dimensions_matches_rank():
    rng = np.random.default_rng(2)
    for _ in range(20):
        m, n, r = rng.integers(1, 7), rng.integers(1, 7), rng.integers(0, 4)
        A = rng.integers(-2, 3, size=(m, r)) @ rng.integers(-2, 3, size=(r, n))
        assert sol.dimensions(A.astype(float)) == np.linalg.matrix_rank(A)
