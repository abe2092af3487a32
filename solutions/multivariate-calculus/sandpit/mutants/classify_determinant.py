"""Uses the determinant and trace of the Hessian, ignoring the tolerance."""

import numpy as np


def classify(f, p, tol=1e-6):
    H = hessian(f, p)  # noqa: F821
    det, trace = np.linalg.det(H), np.trace(H)
    if abs(det) < tol:
        return "flat"
    if det < 0:
        return "saddle"
    return "minimum" if trace > 0 else "maximum"
