"""Returns the number of columns of A instead of the number of non-zero basis vectors."""


def dimensions(A):
    return A.shape[1]
