"""Orthogonalises the columns but forgets to normalise them, then uses E.T as the inverse."""

import numpy as np


def build_reflection_matrix(basis):
    B = np.array(basis, dtype=float)
    u = B[:, 0]
    w = B[:, 1] - (B[:, 1] @ u) / (u @ u) * u
    E = np.column_stack([u, w])
    T_E = np.array([[1.0, 0.0], [0.0, -1.0]])
    return E @ T_E @ E.T
