"""Calls the step rule as step(H, J), with the Hessian first."""

import numpy as np


def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    lo, hi = box
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(n_steps):
        q = p + step(hessian(f, p), gradient(f, p))  # noqa: F821
        if np.any(q < lo) or np.any(q > hi):
            break
        path.append(q)
        p = q
    return np.array(path)
