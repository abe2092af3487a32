"""Tests the pivot A[2, 2] for zero before clearing columns 0 and 1 instead of after."""


def fix_row_two(A):
    if A[2, 2] == 0:
        A[2] = A[2] + A[3]
    A[2] = A[2] - A[2, 0] * A[0]
    A[2] = A[2] - A[2, 1] * A[1]
    if A[2, 2] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 2")  # noqa: F821 (given in the notebook)
    A[2] = A[2] / A[2, 2]
    return A
