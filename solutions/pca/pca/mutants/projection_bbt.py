"""Uses B B^T as the projection matrix, which is right only for orthonormal columns."""


def projection_matrix(B):
    return B @ B.T
