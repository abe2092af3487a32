"""Unit tests of the special-matrices reference solution."""

import numpy as np
import pytest

from .conftest import load_solution

sol = load_solution("special-matrices")


def _top_rows(rng, k):
    rows = np.zeros((k, 4))
    for i in range(k):
        rows[i, i] = 1.0
        rows[i, i + 1 :] = rng.integers(-3, 4, size=3 - i)
    return rows


def test_fix_row_two_gives_unit_pivot_and_keeps_row_space():
    rng = np.random.default_rng(0)
    for _ in range(20):
        A = np.vstack([_top_rows(rng, 2), rng.integers(-4, 5, size=(2, 4))]).astype(float)
        start = A.copy()
        try:
            out = sol.fix_row_two(A)
        except sol.MatrixIsSingular:
            assert np.linalg.matrix_rank(start) < 4
            continue
        assert out is A
        np.testing.assert_allclose(A[2, :3], [0, 0, 1], atol=1e-12)
        np.testing.assert_array_equal(A[[0, 1, 3]], start[[0, 1, 3]])
        # row operations keep the span of all four rows
        assert np.linalg.matrix_rank(np.vstack([start, A[2]])) == np.linalg.matrix_rank(start)


def test_fix_row_two_borrows_row_three():
    A = np.array([[1, 2, -1, 3], [0, 1, 2, -2], [3, 5, -5, 15], [2, 1, 3, 0]], dtype=float)
    sol.fix_row_two(A)
    np.testing.assert_allclose(A[2], [0, 0, 1, -8 / 11])


def test_fix_row_three_and_singular_case():
    A = np.array([[1, 2, -1, 3], [0, 1, 2, -2], [0, 0, 1, 1], [2, 3, 1, 4]], dtype=float)
    assert sol.fix_row_three(A) is A
    np.testing.assert_allclose(np.triu(A), A)
    np.testing.assert_allclose(np.diag(A), 1.0)
    B = np.array([[1, 2, -1, 3], [0, 1, 2, -2], [0, 0, 1, 1], [1, 3, 2, 2]], dtype=float)
    with pytest.raises(sol.MatrixIsSingular):
        sol.fix_row_three(B)


def test_is_singular_agrees_with_rank_and_keeps_input():
    rng = np.random.default_rng(1)
    for trial in range(100):
        n = int(rng.integers(1, 8))
        M = rng.uniform(-1, 1, size=(n, n))
        if trial % 2 and n > 1:
            M[-1] = rng.uniform(-1, 1, size=n - 1) @ M[:-1]
        before = M.copy()
        assert sol.is_singular(M) == (np.linalg.matrix_rank(M) < n)
        np.testing.assert_array_equal(M, before)


def test_is_singular_edge_cases():
    assert sol.is_singular(np.zeros((1, 1)))
    assert not sol.is_singular(np.eye(6)[::-1])
    assert not sol.is_singular(np.array([[2, 1], [1, 1]]))
    assert sol.is_singular(np.diag([1.0, 1e-9]), tol=1e-6)
    assert not sol.is_singular(np.diag([1.0, 1e-9]))
