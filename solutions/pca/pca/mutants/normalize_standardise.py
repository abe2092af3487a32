"""Standardises the data (divides by the standard deviation) instead of only centring it."""

import numpy as np


def normalize(X):
    mu = np.mean(X, axis=0)
    std = np.std(X, axis=0)
    std[std == 0] = 1.0
    return (X - mu) / std, mu
