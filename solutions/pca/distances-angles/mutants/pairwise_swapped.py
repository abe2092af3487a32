"""Puts Y along the rows and X along the columns, returning an (M, N) matrix."""

import numpy as np


def pairwise_distance_matrix(X, Y):
    diff = Y[:, None, :] - X[None, :, :]
    return np.sqrt(np.sum(diff**2, axis=2))
