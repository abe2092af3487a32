"""Puts the -1 on the first axis, so the mirror lies along the second Gram-Schmidt vector."""

import numpy as np


def build_reflection_matrix(basis):
    E = orthonormal_basis(basis)  # noqa: F821 (given in the notebook)
    T_E = np.array([[-1.0, 0.0], [0.0, 1.0]])
    return E @ T_E @ np.linalg.inv(E)
