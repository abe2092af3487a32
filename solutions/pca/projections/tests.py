"""Tests for projections: orthogonal projections onto a line and onto a subspace."""

import numpy as np

from autograder.checks import as_float_array, call, check_array, check_each, check_unchanged
from autograder.testing import case

# What the notebook promises about vectors, said when a call with columns raises.
_COLUMNS = (
    "The notebook asks that vectors of shape (D, 1) work as well as (D,): this call passes "
    "a column of shape (3, 1); reshape it (e.g. with `.ravel()` or `.reshape(-1, 1)`) so "
    "that the products line up."
)

# The worked examples of the notebook.
_B_PLANE = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_P_PLANE = np.array([[2.0, -1.0, 1.0], [-1.0, 2.0, 1.0], [1.0, 1.0, 2.0]]) / 3


def _rng():
    return np.random.default_rng(7)


def _ref_matrix(B):
    """Projection onto the column space of B, through an orthonormal basis (QR)."""
    Q, _ = np.linalg.qr(np.asarray(B, dtype=float).reshape(len(B), -1))
    return Q @ Q.T


def _square(actual, D, name):
    """Fail clearly unless ``actual`` is a finite D x D matrix; return it as floats."""
    P = as_float_array(actual, name)
    if P.shape != (D, D):
        raise AssertionError(f"{name} has shape {P.shape}, but shape {(D, D)} was expected.")
    if not np.isfinite(P).all():
        raise AssertionError(f"{name} contains NaN or infinity; look for a division by zero.")
    return P


def _is_projection(P, name, atol=1e-9):
    assert np.allclose(P, P.T, atol=atol), f"{name} is not symmetric, but P = P^T must hold."
    assert np.allclose(P @ P, P, atol=atol), (
        f"{name} is not idempotent: projecting twice must change nothing (P @ P = P)."
    )


# ---------------------------------------------------------------- q1: onto a line


@case("q1")
def test_matrix_1d_example(projection_matrix_1d):
    b = np.array([1.0, 2.0, 2.0])
    expected = np.array([[1.0, 2.0, 2.0], [2.0, 4.0, 4.0], [2.0, 4.0, 4.0]]) / 9
    check_array(call(projection_matrix_1d, b), expected, "projection_matrix_1d([1, 2, 2])")


@case("q1")
def test_project_1d_example(project_1d):
    x = np.array([1.0, 1.0, 1.0])
    b = np.array([1.0, 2.0, 2.0])
    check_array(
        call(project_1d, x, b),
        np.array([5.0, 10.0, 10.0]) / 9,
        "project_1d([1, 1, 1], [1, 2, 2])",
        vector=True,
    )


def _matrix_1d_of_a_column(projection_matrix_1d):
    b = np.array([[0.0], [3.0], [4.0]])
    expected = np.array([[0.0, 0.0, 0.0], [0.0, 9.0, 12.0], [0.0, 12.0, 16.0]]) / 25
    P = call(projection_matrix_1d, b, convention=_COLUMNS)
    check_array(P, expected, "projection_matrix_1d of a (3, 1) column b")


def _project_1d_of_columns(project_1d):
    b = np.array([[0.0], [3.0], [4.0]])
    x = np.array([[1.0], [1.0], [1.0]])
    p = call(project_1d, x, b, convention=_COLUMNS)
    expected = np.array([0.0, 21.0, 28.0]) / 25
    check_array(p, expected, "project_1d of (3, 1) columns x and b", vector=True)


@case("q1")
def test_1d_column_vectors(projection_matrix_1d, project_1d):
    # a failure of one function must not hide the other's
    check_each(
        lambda: _matrix_1d_of_a_column(projection_matrix_1d),
        lambda: _project_1d_of_columns(project_1d),
    )


@case("q1", hidden=True)
def test_matrix_1d_random(projection_matrix_1d):
    rng = _rng()
    for D in (2, 5, 9):
        b = rng.normal(size=D) * 3
        kept = b.copy()
        P = _square(projection_matrix_1d(b), D, f"projection_matrix_1d(b) for D={D}")
        check_unchanged(kept, b, "b")
        check_array(P, np.outer(b, b) / (b @ b), f"projection_matrix_1d(b) for D={D}")
        _is_projection(P, "projection_matrix_1d(b)")
        assert np.isclose(np.trace(P), 1.0), "a projection onto a line has trace 1 (rank 1)."


@case("q1", hidden=True)
def test_matrix_1d_scaling(projection_matrix_1d):
    b = np.array([2.0, -1.0, 0.5, 3.0])
    expected = np.outer(b, b) / (b @ b)
    for c in (1.0, 10.0, -0.01, 250.0):
        check_array(
            projection_matrix_1d(c * b),
            expected,
            f"projection_matrix_1d({c:g} * b): the line does not depend on the length of b",
        )


@case("q1", hidden=True)
def test_matrix_1d_integer_and_column(projection_matrix_1d):
    b = np.array([3, 4])
    expected = np.array([[9.0, 12.0], [12.0, 16.0]]) / 25
    check_array(projection_matrix_1d(b), expected, "projection_matrix_1d of an integer b")
    check_unchanged(np.array([3, 4]), b, "b")
    rng = _rng()
    c = rng.normal(size=(6, 1))
    check_array(
        projection_matrix_1d(c), (c @ c.T) / (c.T @ c), "projection_matrix_1d of a (6, 1) b"
    )
    check_array(projection_matrix_1d(np.array([-2.5])), np.ones((1, 1)), "in one dimension")


@case("q1", hidden=True)
def test_project_1d_random(project_1d):
    rng = _rng()
    for D in (3, 7):
        x, b = rng.normal(size=D), rng.normal(size=D)
        kx, kb = x.copy(), b.copy()
        p = check_array(
            project_1d(x, b), (b @ x) / (b @ b) * b, f"project_1d(x, b) for D={D}", vector=True
        )
        check_unchanged(kx, x, "x")
        check_unchanged(kb, b, "b")
        assert abs(b @ (x - p.reshape(-1))) < 1e-9, (
            "the residual x - project_1d(x, b) must be orthogonal to b."
        )


@case("q1", hidden=True)
def test_project_1d_special_vectors(project_1d):
    b = np.array([1.0, -2.0, 0.0, 2.0])
    check_array(project_1d(b, b), b, "project_1d(b, b)", vector=True)
    check_array(project_1d(-3 * b, 0.5 * b), -3 * b, "project_1d(-3 b, 0.5 b)", vector=True)
    ortho = np.array([2.0, 1.0, 5.0, 0.0])
    check_array(
        project_1d(ortho, b), np.zeros(4), "project_1d of a vector orthogonal to b", vector=True
    )
    x = np.array([1.0, 2.0, 3.0, 4.0])
    expected = (b @ x) / (b @ b) * b
    check_array(
        project_1d(x.reshape(-1, 1), b), expected, "project_1d with x of shape (4, 1)", vector=True
    )
    check_array(
        project_1d(x, b.reshape(-1, 1)), expected, "project_1d with b of shape (4, 1)", vector=True
    )
    check_array(project_1d(x, 7 * b), expected, "project_1d(x, 7 b)", vector=True)


# ---------------------------------------------------------------- q2: onto a subspace


@case("q2")
def test_matrix_general_example(projection_matrix_general):
    check_array(
        call(projection_matrix_general, _B_PLANE),
        _P_PLANE,
        "projection_matrix_general(B) for the plane",
    )


@case("q2")
def test_project_general_example(project_general):
    x = np.array([3.0, 0.0, 0.0])
    check_array(
        call(project_general, x, _B_PLANE),
        np.array([2.0, -1.0, 1.0]),
        "project_general([3, 0, 0], B) for the plane",
        vector=True,
    )
    check_array(
        call(project_general, x.reshape(-1, 1), _B_PLANE, convention=_COLUMNS),
        np.array([2.0, -1.0, 1.0]),
        "project_general with x of shape (3, 1)",
        vector=True,
    )


@case("q2", hidden=True)
def test_matrix_general_random(projection_matrix_general):
    rng = _rng()
    for D, M in ((4, 2), (6, 3), (10, 4)):
        B = rng.normal(size=(D, M)) + 2.0  # columns far from orthogonal
        kept = B.copy()
        P = _square(projection_matrix_general(B), D, f"projection_matrix_general(B) of a {D}x{M} B")
        check_unchanged(kept, B, "B")
        check_array(P, _ref_matrix(B), f"projection_matrix_general(B) of a {D}x{M} B", atol=1e-7)
        _is_projection(P, "projection_matrix_general(B)", atol=1e-7)
        assert np.isclose(np.trace(P), M), (
            f"P should have trace {M}, the dimension of the subspace."
        )
        assert np.allclose(P @ B, B, atol=1e-7), "P must leave the columns of B unchanged."


@case("q2", hidden=True)
def test_matrix_general_change_of_basis(projection_matrix_general):
    rng = _rng()
    B = rng.normal(size=(5, 3))
    A = np.array([[2.0, 1.0, 0.0], [0.0, -3.0, 1.0], [1.0, 0.0, 0.5]])
    expected = _ref_matrix(B)
    check_array(projection_matrix_general(B), expected, "projection_matrix_general(B)", atol=1e-7)
    check_array(
        projection_matrix_general(B @ A),
        expected,
        "projection_matrix_general(B @ A): any basis of the same subspace gives the same P",
        atol=1e-7,
    )
    check_array(
        projection_matrix_general(100 * B),
        expected,
        "projection_matrix_general(100 B)",
        atol=1e-7,
    )


@case("q2", hidden=True)
def test_matrix_general_edge_cases(projection_matrix_general):
    b = np.array([[1.0], [2.0], [-1.0], [0.5]])
    check_array(
        projection_matrix_general(b),
        (b @ b.T) / (b.T @ b),
        "projection_matrix_general of one column",
    )
    square = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 1.0]])
    check_array(
        projection_matrix_general(square),
        np.eye(3),
        "projection_matrix_general of an invertible B",
        atol=1e-9,
    )
    axes = np.array([[1, 0], [0, 1], [0, 0]])
    check_array(
        projection_matrix_general(axes),
        np.diag([1.0, 1.0, 0.0]),
        "projection_matrix_general of an integer B spanning the x-y plane",
    )


@case("q2", hidden=True)
def test_project_general_random(project_general):
    rng = _rng()
    B = rng.normal(size=(8, 3)) + 1.0
    x = rng.normal(size=8) * 4
    kb, kx = B.copy(), x.copy()
    p = check_array(
        project_general(x, B), _ref_matrix(B) @ x, "project_general(x, B)", vector=True, atol=1e-7
    )
    check_unchanged(kb, B, "B")
    check_unchanged(kx, x, "x")
    assert np.allclose(B.T @ (x - p.reshape(-1)), 0, atol=1e-7), (
        "the residual x - project_general(x, B) must be orthogonal to every column of B."
    )
    inside = B @ np.array([1.5, -2.0, 0.25])
    check_array(
        project_general(inside, B),
        inside,
        "project_general of a vector in the subspace",
        vector=True,
        atol=1e-7,
    )
    check_array(
        project_general(x.reshape(-1, 1), B),
        _ref_matrix(B) @ x,
        "project_general with x of shape (8, 1)",
        vector=True,
        atol=1e-7,
    )
    check_array(
        project_general(x, B[:, :1]),
        _ref_matrix(B[:, :1]) @ x,
        "project_general onto one column",
        vector=True,
        atol=1e-7,
    )
