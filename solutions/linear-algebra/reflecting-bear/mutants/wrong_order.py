"""Multiplies in the wrong order: E^-1 @ T_E @ E instead of E @ T_E @ E^-1."""

import numpy as np


def build_reflection_matrix(basis):
    E = orthonormal_basis(basis)  # noqa: F821 (given in the notebook)
    T_E = np.array([[1.0, 0.0], [0.0, -1.0]])
    return np.linalg.inv(E) @ T_E @ E
