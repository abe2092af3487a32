"""Scales each column of B to unit length and returns B B^T (right only for orthogonal columns)."""

import numpy as np


def projection_matrix_general(B):
    B = np.asarray(B, dtype=float)
    B = B / np.linalg.norm(B, axis=0)
    return B @ B.T
