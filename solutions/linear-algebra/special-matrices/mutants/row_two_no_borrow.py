"""Raises MatrixIsSingular as soon as the pivot of row 2 is zero, without trying row 3."""


def fix_row_two(A):
    A[2] = A[2] - A[2, 0] * A[0]
    A[2] = A[2] - A[2, 1] * A[1]
    if A[2, 2] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 2")  # noqa: F821 (given in the notebook)
    A[2] = A[2] / A[2, 2]
    return A
