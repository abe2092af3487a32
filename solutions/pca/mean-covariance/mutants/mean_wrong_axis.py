"""Averages along axis 1, giving one number per data point instead of one per feature."""

import numpy as np


def mean(X):
    return np.mean(X, axis=1)
