"""Accumulates the outer products in an array of X's dtype, which fails for integer data."""

import numpy as np


def cov_naive(X):
    N, D = X.shape
    mu = X.mean(axis=0)
    S = np.zeros((D, D), dtype=X.dtype)
    for n in range(N):
        S += np.outer(X[n] - mu, X[n] - mu)
    return S / N
