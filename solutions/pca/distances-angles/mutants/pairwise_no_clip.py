"""Expands the square but takes the root without clipping tiny negative values (nan)."""

import numpy as np


def pairwise_distance_matrix(X, Y):
    sq = np.sum(X**2, axis=1)[:, None] + np.sum(Y**2, axis=1)[None, :] - 2 * X @ Y.T
    return np.sqrt(sq)
