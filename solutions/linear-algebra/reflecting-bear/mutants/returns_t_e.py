"""Returns the reflection in the E coordinates, T_E, without changing basis."""

import numpy as np


def build_reflection_matrix(basis):
    T_E = np.array([[1.0, 0.0], [0.0, -1.0]])
    return T_E
