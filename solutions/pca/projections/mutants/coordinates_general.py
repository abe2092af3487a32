"""Returns the coordinates (B^T B)^-1 B^T x instead of the projected vector B lambda."""

import numpy as np


def project_general(x, B):
    B = np.asarray(B, dtype=float)
    x = np.asarray(x, dtype=float).reshape(-1)
    return np.linalg.solve(B.T @ B, B.T @ x)
