"""Reference solution for mean-covariance: means and covariances of a data set, and the
effect of an affine map on them."""

import numpy as np


def mean_naive(X):
    N, D = X.shape
    total = np.zeros(D)
    for n in range(N):
        total = total + X[n]
    return total / N


def mean(X):
    return np.mean(X, axis=0)


def cov_naive(X):
    N, D = X.shape
    mu = np.zeros(D)
    for n in range(N):
        mu = mu + X[n] / N
    S = np.zeros((D, D))
    for n in range(N):
        d = X[n] - mu
        S = S + np.outer(d, d)
    return S / N


def cov(X):
    Xc = X - np.mean(X, axis=0)
    return Xc.T @ Xc / X.shape[0]


def affine_mean(mean, A, b):
    return A @ mean + b


def affine_covariance(S, A, b):
    return A @ S @ A.T
