"""Never raises MatrixIsSingular: divides row 3 by a zero pivot."""


def fix_row_three(A):
    for k in range(3):
        A[3] = A[3] - A[3, k] * A[k]
    A[3] = A[3] / A[3, 3]
    return A
