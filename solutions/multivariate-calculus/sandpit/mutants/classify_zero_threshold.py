"""Compares the eigenvalues with 0 instead of with the tolerance."""

import numpy as np


def classify(f, p, tol=1e-6):
    low, high = np.linalg.eigvalsh(hessian(f, p))  # noqa: F821
    if low > 0:
        return "minimum"
    if high < 0:
        return "maximum"
    if low < 0 and high > 0:
        return "saddle"
    return "flat"
