"""Sums the squared differences over the wrong axis of the (N, M, D) array."""

import numpy as np


def pairwise_distance_matrix(X, Y):
    diff = X[:, None, :] - Y[None, :, :]
    return np.sqrt(np.sum(diff**2, axis=1))
