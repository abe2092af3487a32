"""Clears columns 2, 1, 0 of row 3 in reverse order, so later steps undo earlier ones."""


def fix_row_three(A):
    for k in (2, 1, 0):
        A[3] = A[3] - A[3, k] * A[k]
    if A[3, 3] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 3")  # noqa: F821 (given in the notebook)
    A[3] = A[3] / A[3, 3]
    return A
