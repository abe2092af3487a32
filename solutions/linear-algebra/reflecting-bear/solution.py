"""Reference solution for reflecting-bear."""

import numpy as np


def orthonormal_basis(basis):
    """Gram-Schmidt on the two columns of a 2x2 matrix (a copy of the notebook's given helper)."""
    B = np.array(basis, dtype=float)
    e1 = B[:, 0] / np.linalg.norm(B[:, 0])
    w = B[:, 1] - (B[:, 1] @ e1) * e1
    if np.linalg.norm(w) <= 1e-12 * np.linalg.norm(B[:, 1]):
        raise ValueError("the two columns of basis are parallel: they do not span the plane")
    return np.column_stack([e1, w / np.linalg.norm(w)])


def build_reflection_matrix(basis):
    E = orthonormal_basis(basis)
    T_E = np.array([[1.0, 0.0], [0.0, -1.0]])
    return E @ T_E @ np.linalg.inv(E)


def reflect(points, basis):
    return build_reflection_matrix(basis) @ np.asarray(points, dtype=float)
