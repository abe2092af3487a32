"""Runs Gram-Schmidt in place on the caller's basis, changing the argument."""

import numpy as np


def build_reflection_matrix(basis):
    E = basis
    E[:, 0] = E[:, 0] / np.linalg.norm(E[:, 0])
    E[:, 1] = E[:, 1] - (E[:, 1] @ E[:, 0]) * E[:, 0]
    E[:, 1] = E[:, 1] / np.linalg.norm(E[:, 1])
    T_E = np.array([[1.0, 0.0], [0.0, -1.0]])
    return E @ T_E @ E.T
