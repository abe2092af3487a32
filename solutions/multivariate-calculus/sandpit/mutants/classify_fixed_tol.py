"""Ignores the tol argument and always uses 1e-6."""

import numpy as np


def classify(f, p, tol=1e-6):
    low, high = np.linalg.eigvalsh(hessian(f, p))  # noqa: F821
    if low > 1e-6:
        return "minimum"
    if high < -1e-6:
        return "maximum"
    if low < -1e-6 and high > 1e-6:
        return "saddle"
    return "flat"
