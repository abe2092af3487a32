"""Tests for gram-schmidt."""

import numpy as np

from autograder.checks import (
    after_earlier,
    as_float_array,
    call,
    check_array,
    check_integer,
    check_unchanged,
)
from autograder.testing import case

VERY_SMALL = 1e-14

_WORKED = np.array([[1.0, 1.0, 2.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
_WORKED_B = np.array(
    [
        [1 / np.sqrt(2), 1 / np.sqrt(6), 0.0],
        [1 / np.sqrt(2), -1 / np.sqrt(6), 0.0],
        [0.0, 2 / np.sqrt(6), 0.0],
    ]
)


def _check_gs_properties(actual, A, name, zero_columns=()):
    """Check a Gram-Schmidt result by its defining properties, with student-facing messages.

    Shape and finiteness; the listed columns are zero and the others have unit length; the
    columns are orthogonal; each column of A is a combination of the result's columns up to
    the same index, with a positive coefficient on its own column.
    """
    B = as_float_array(actual, name)
    A = np.asarray(A, dtype=float)
    if B.shape != A.shape:
        raise AssertionError(f"{name} has shape {B.shape}, but it should have A's shape {A.shape}.")
    if not np.isfinite(B).all():
        raise AssertionError(
            f"{name} contains NaN or infinity: a column whose remainder is (nearly) zero must "
            "become zeros, not be divided by its tiny norm."
        )
    for j, length in enumerate(np.linalg.norm(B, axis=0)):
        if j in zero_columns and length > 1e-8:
            raise AssertionError(
                f"column {j} of {name} should be zero (that column of A depends on the earlier "
                f"ones), but its norm is {length:.3g}."
            )
        if j not in zero_columns and abs(length - 1) > 1e-8:
            raise AssertionError(
                f"column {j} of {name} should have length 1, but its norm is {length:.6g}; "
                "did you normalise it (after subtracting the projections)?"
            )
    G = B.T @ B
    off = np.abs(G - np.diag(np.diag(G)))
    if off.max() > 1e-8:
        i, j = np.unravel_index(np.argmax(off), off.shape)
        raise AssertionError(
            f"columns {i} and {j} of {name} are not orthogonal (dot product {G[i, j]:.3g}); "
            "subtract the projections onto the new unit vectors, not the original columns."
        )
    R = B.T @ A
    for j in range(A.shape[1]):
        if not np.allclose(B[:, : j + 1] @ R[: j + 1, j], A[:, j], atol=1e-8):
            raise AssertionError(
                f"column {j} of A is not a combination of columns 0..{j} of {name}: each "
                "new vector must come from the columns of A up to it, taken in order."
            )
        if j not in zero_columns and R[j, j] <= 0:
            raise AssertionError(
                f"column {j} of {name} points away from column {j} of A: normalise the "
                "remainder by its norm (a positive number)."
            )
    return B


def _ref_gs(A):
    """Gram-Schmidt with re-orthogonalisation (twice is enough), an independent reference."""
    A = np.asarray(A, dtype=float)
    B = np.zeros_like(A)
    for j in range(A.shape[1]):
        r = A[:, j].copy()
        for _ in range(2):
            r = r - B[:, :j] @ (B[:, :j].T @ r)
        n = np.linalg.norm(r)
        if n >= VERY_SMALL:
            B[:, j] = r / n
    return B


def _dependent_4x4():
    """4x4 matrices with unambiguous dependent columns (exact combinations, zeros)."""
    a = np.array([1.0, 2.0, 0.0, -1.0])
    b = np.array([0.0, 1.0, 1.0, 2.0])
    c = np.array([2.0, -1.0, 1.0, 0.0])
    d = np.array([1.0, 0.0, -1.0, 1.0])
    z = np.zeros(4)
    return [
        (np.column_stack([a, b, a - 2 * b, c]), (2,)),
        (np.column_stack([a, b, c, b]), (3,)),
        (np.column_stack([z, a, b, c]), (0,)),
        (np.column_stack([a, 2 * a, b, c]), (1,)),
        (np.column_stack([a, z, b, z]), (1, 3)),
        (np.column_stack([a, -a, 2 * a, 0.5 * a]), (1, 2, 3)),
        (np.column_stack([a, b, c, a + b - c]), (3,)),
        (np.column_stack([d, b, c, a]), ()),
    ]


def _for_input(A, check, *args, **kwargs):
    """Run ``check(*args, **kwargs)``; on failure, say once which input matrix it was."""
    try:
        return check(*args, **kwargs)
    except AssertionError as e:
        raise AssertionError(f"For A =\n{np.asarray(A)}\n{e}") from None


# ----------------------------------------------------------------------------- question 1


@case("q1")
def test_gs4_triangular(gs_basis4):
    """Upper-triangular columns with positive diagonal give the identity."""
    A = np.triu(np.ones((4, 4)))
    _for_input(A, check_array, call(gs_basis4, A.copy()), np.eye(4), "gs_basis4(A)")


@case("q1")
def test_gs4_orthonormal(gs_basis4):
    A = np.array(
        [[2.0, 1.0, 0.0, 1.0], [1.0, 3.0, 1.0, 0.0], [0.0, 1.0, 4.0, 1.0], [1.0, 0.0, 1.0, 2.0]]
    )
    _check_gs_properties(call(gs_basis4, A.copy()), A, "gs_basis4(A)")


@case("q1")
def test_gs4_dependent_column(gs_basis4):
    """Column 2 is column 0 - 2 * column 1: it must become a column of zeros."""
    A = np.array(
        [[1.0, 0.0, 1.0, 2.0], [2.0, 1.0, 0.0, -1.0], [0.0, 1.0, -2.0, 1.0], [-1.0, 2.0, -5.0, 0.0]]
    )
    _check_gs_properties(call(gs_basis4, A.copy()), A, "gs_basis4(A)", zero_columns=(2,))


@case("q1", hidden=True)
def test_gs4_random(gs_basis4):
    rng = np.random.default_rng(7)
    for _ in range(6):
        A = rng.normal(size=(4, 4))
        _for_input(A, check_array, gs_basis4(A.copy()), _ref_gs(A), "gs_basis4(A)", atol=1e-9)


@case("q1", hidden=True)
def test_gs4_dependent_columns(gs_basis4):
    for A, zeros in _dependent_4x4():
        B = gs_basis4(A.copy())
        _for_input(A, _check_gs_properties, B, A, "gs_basis4(A)", zero_columns=zeros)
        _for_input(A, check_array, B, _ref_gs(A), "gs_basis4(A)", atol=1e-9)


@case("q1", hidden=True)
def test_gs4_integer_and_scaled_input(gs_basis4):
    A = np.array([[2, 1, 0, 1], [1, 3, 1, 0], [0, 1, 4, 1], [1, 0, 1, 2]])
    _for_input(A, check_array, gs_basis4(A.copy()), _ref_gs(A), "gs_basis4(A)", atol=1e-9)
    small = 1e-9 * A
    _for_input(small, check_array, gs_basis4(small), _ref_gs(A), "gs_basis4(1e-9 * A)", atol=1e-9)
    tiny = A.astype(float)
    tiny[:, 0] = 1e-16
    expected = _ref_gs(tiny)
    _for_input(tiny, check_array, gs_basis4(tiny.copy()), expected, "gs_basis4(A)", atol=1e-9)


@case("q1", hidden=True)
def test_gs4_leaves_input_alone(gs_basis4):
    rng = np.random.default_rng(8)
    for A in (rng.normal(size=(4, 4)), _dependent_4x4()[0][0]):
        before = A.copy()
        B = gs_basis4(A)
        check_array(B, _ref_gs(before), "gs_basis4(A)", atol=1e-9)
        check_unchanged(before, A, "the matrix A passed to gs_basis4")


# ----------------------------------------------------------------------------- question 2


def _gs_worked_example(gs_basis):
    """q2's first public check; q3 runs it too, to say when its failure starts here."""
    _for_input(_WORKED, check_array, call(gs_basis, _WORKED.copy()), _WORKED_B, "gs_basis(A)")


@case("q2")
def test_gs_worked_example(gs_basis):
    """The worked example of the notebook: the third column is the sum of the first two."""
    _gs_worked_example(gs_basis)


@case("q2")
def test_gs_wide(gs_basis):
    """Four vectors in the plane: only two can be non-zero."""
    A = np.array([[1.0, 0.0, 1.0, 2.0], [0.0, 1.0, 1.0, -1.0]])
    expected = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    _for_input(A, check_array, call(gs_basis, A.copy()), expected, "gs_basis(A)")


@case("q2")
def test_gs_tall(gs_basis):
    A = np.array(
        [[1.0, 2.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 3.0], [2.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    )
    _check_gs_properties(call(gs_basis, A.copy()), A, "gs_basis(A) for a 5x3 A")


@case("q2", hidden=True)
def test_gs_random_tall(gs_basis):
    rng = np.random.default_rng(17)
    for m, n in [(3, 3), (6, 3), (10, 4), (7, 7), (5, 1), (12, 6)]:
        A = rng.normal(size=(m, n))
        _for_input(
            A, check_array, gs_basis(A.copy()), _ref_gs(A), f"gs_basis(A) ({m}x{n})", atol=1e-9
        )


@case("q2", hidden=True)
def test_gs_dependent_tall(gs_basis):
    rng = np.random.default_rng(19)
    cases = []
    for m, n in [(5, 4), (6, 5), (8, 6)]:
        A = rng.integers(-2, 3, size=(m, n)).astype(float)
        A[:, 0] += 3 * np.eye(m)[0]
        A[:, 1] += 3 * np.eye(m)[1]
        A[:, n - 1] = A[:, 0] - A[:, 1]
        A[:, n - 2] = 0.0
        cases.append((A, (n - 2, n - 1)))
    z = np.zeros((6, 1))
    col = np.array([[1.0], [2.0], [0.0], [1.0], [-1.0], [0.0]])
    cases.append((np.hstack([z, col, 2 * col, z]), (0, 2, 3)))
    for A, zeros in cases:
        B = gs_basis(A.copy())
        _for_input(A, _check_gs_properties, B, A, "gs_basis(A)", zero_columns=zeros)
        _for_input(A, check_array, B, _ref_gs(A), "gs_basis(A)", atol=1e-9)


@case("q2", hidden=True)
def test_gs_wide_and_tiny_shapes(gs_basis):
    W = np.array(
        [[2.0, 1.0, 0.0, 1.0, -1.0], [0.0, 1.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, -1.0, 0.0]]
    )
    examples = [
        (W, "a 3x5 A"),
        (np.array([[3.0, -1.0, 2.0]]), "a 1x3 A"),
        (np.array([[0.0]]), "[[0]]"),
        (np.array([[-2.0]]), "[[-2]]"),
        (np.zeros((3, 2)), "a 3x2 zero matrix"),
        (np.array([[0.0, 0.0, 1.0], [0.0, 2.0, 1.0]]), "a 2x3 A with a zero first column"),
    ]
    for A, label in examples:
        _for_input(A, check_array, gs_basis(A.copy()), _ref_gs(A), f"gs_basis({label})", atol=1e-9)


@case("q2", hidden=True)
def test_gs_integer_scaled_and_pure(gs_basis):
    A = np.array([[2, 1, 1], [1, 3, 0], [0, 1, 2], [1, 1, 1]])
    before = A.copy()
    _for_input(A, check_array, gs_basis(A), _ref_gs(before), "gs_basis(A) (integer A)", atol=1e-9)
    check_unchanged(before, A, "the integer matrix A passed to gs_basis")
    F = np.random.default_rng(23).normal(size=(5, 3))
    before = F.copy()
    _for_input(F, check_array, gs_basis(F), _ref_gs(before), "gs_basis(A)", atol=1e-9)
    check_unchanged(before, F, "the matrix A passed to gs_basis")
    small = 1e-9 * before
    _for_input(
        small, check_array, gs_basis(small), _ref_gs(before), "gs_basis(1e-9 * A)", atol=1e-9
    )


# ----------------------------------------------------------------------------- question 3


@case("q3")
def test_dimensions_examples(dimensions, gs_basis):
    def test():
        check_integer(call(dimensions, np.eye(4)), 4, "dimensions(np.eye(4))")
        check_integer(call(dimensions, _WORKED.copy()), 2, "dimensions(A) for the worked example")
        check_integer(call(dimensions, np.zeros((3, 3))), 0, "dimensions(np.zeros((3, 3)))")

    after_earlier(test, ("q2", "gs_basis", lambda: _gs_worked_example(gs_basis)))


@case("q3", hidden=True)
def test_dimensions_various(dimensions):
    u = np.array([1.0, -2.0, 0.0, 3.0, 1.0])
    v = np.array([2.0, 1.0, 1.0, 0.0, -1.0])
    examples = [
        (np.array([[1.0, 0.0, 1.0, 2.0], [0.0, 1.0, 1.0, -1.0]]), 2, "a 2x4 A of rank 2"),
        (np.column_stack([u, v, u + v, u - 2 * v]), 2, "a 5x4 A of rank 2"),
        (np.outer(u, [1.0, -2.0, 3.0]), 1, "a 5x3 A of rank 1"),
        (np.column_stack([u, np.zeros(5), v, u]), 2, "a 5x4 A with a zero and a repeated column"),
        (np.array([[0.0]]), 0, "[[0]]"),
        (np.array([[2, 1, 1], [1, 3, 0], [0, 1, 2], [1, 1, 1]]), 3, "a 4x3 integer A of rank 3"),
        (1e-9 * np.eye(3), 3, "1e-9 * np.eye(3)"),
        (np.triu(np.ones((6, 6))), 6, "triu(ones((6, 6)))"),
    ]
    for A, expected, label in examples:
        check_integer(dimensions(A.copy()), expected, f"dimensions({label})")
