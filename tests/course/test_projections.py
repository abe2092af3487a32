"""Mathematical properties of the reference solution of projections."""

import numpy as np

from .conftest import load_solution

sol = load_solution("projections")
rng = np.random.default_rng(0)


def test_1d_matrix_is_rank_one_projection():
    b = rng.normal(size=7)
    P = sol.projection_matrix_1d(b)
    assert P.shape == (7, 7)
    assert np.allclose(P, P.T)
    assert np.allclose(P @ P, P)
    assert np.isclose(np.trace(P), 1.0)
    assert np.allclose(P @ b, b)


def test_1d_scale_invariant_and_shapes():
    b = np.array([1.0, -2.0, 3.0])
    assert np.allclose(sol.projection_matrix_1d(b), sol.projection_matrix_1d(-40 * b))
    assert np.allclose(sol.projection_matrix_1d(b.reshape(-1, 1)), sol.projection_matrix_1d(b))
    x = np.array([[4.0], [0.0], [1.0]])
    p = sol.project_1d(x, b)
    assert p.shape == (3,)
    assert np.isclose(b @ (x.ravel() - p), 0)


def test_1d_integer_input_is_float():
    P = sol.projection_matrix_1d(np.array([3, 4]))
    assert np.allclose(P, np.array([[9, 12], [12, 16]]) / 25)


def test_general_matches_least_squares():
    B = rng.normal(size=(9, 4))
    x = rng.normal(size=9)
    coef, *_ = np.linalg.lstsq(B, x, rcond=None)
    assert np.allclose(sol.project_general(x, B), B @ coef)
    P = sol.projection_matrix_general(B)
    assert np.allclose(P, P.T) and np.allclose(P @ P, P)
    assert np.isclose(np.trace(P), 4)


def test_general_depends_only_on_subspace():
    B = rng.normal(size=(6, 3))
    A = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    assert np.allclose(sol.projection_matrix_general(B), sol.projection_matrix_general(B @ A))


def test_general_with_one_column_is_1d():
    b = rng.normal(size=(5, 1))
    assert np.allclose(sol.projection_matrix_general(b), sol.projection_matrix_1d(b))


def test_inputs_unchanged():
    B = rng.normal(size=(4, 2))
    x = rng.normal(size=4)
    B0, x0 = B.copy(), x.copy()
    sol.project_general(x, B)
    sol.project_1d(x, B[:, 0])
    assert np.array_equal(B, B0) and np.array_equal(x, x0)
