"""Multiplies the centred data the other way round, X X^T, giving an N x N matrix."""

import numpy as np


def cov(X):
    Xc = X - np.mean(X, axis=0)
    return Xc @ Xc.T / X.shape[0]
