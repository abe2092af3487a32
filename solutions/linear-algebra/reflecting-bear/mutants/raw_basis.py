"""Uses the given (non-orthonormal) basis directly instead of its Gram-Schmidt basis."""

import numpy as np


def build_reflection_matrix(basis):
    E = np.array(basis, dtype=float)
    T_E = np.array([[1.0, 0.0], [0.0, -1.0]])
    return E @ T_E @ np.linalg.inv(E)
