"""Reference solution for projections: orthogonal projections onto a line and a subspace."""

import numpy as np


def projection_matrix_1d(b):
    b = np.asarray(b, dtype=float).reshape(-1, 1)
    return (b @ b.T) / (b.T @ b).item()


def project_1d(x, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    return projection_matrix_1d(b) @ x


def projection_matrix_general(B):
    B = np.asarray(B, dtype=float)
    return B @ np.linalg.solve(B.T @ B, B.T)


def project_general(x, B):
    x = np.asarray(x, dtype=float).reshape(-1)
    return projection_matrix_general(B) @ x
