"""Divides by N - 1 (the sample covariance) instead of N."""

import numpy as np


def cov_naive(X):
    N, D = X.shape
    mu = X.mean(axis=0)
    S = np.zeros((D, D))
    for n in range(N):
        S = S + np.outer(X[n] - mu, X[n] - mu)
    return S / (N - 1)
