"""Adds the multiples of the upper rows instead of subtracting them."""


def fix_row_three(A):
    for k in range(3):
        A[3] = A[3] + A[3, k] * A[k]
    if A[3, 3] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 3")  # noqa: F821 (given in the notebook)
    A[3] = A[3] / A[3, 3]
    return A
