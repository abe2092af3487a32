"""Adds up x x^T without subtracting the mean first."""

import numpy as np


def cov_naive(X):
    N, D = X.shape
    S = np.zeros((D, D))
    for n in range(N):
        S = S + np.outer(X[n], X[n])
    return S / N
