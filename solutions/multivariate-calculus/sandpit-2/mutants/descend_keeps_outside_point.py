"""Appends the new point before checking the box, so the path ends outside it."""

import numpy as np


def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    lo, hi = box
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(n_steps):
        p = p + step(gradient(f, p), hessian(f, p))  # noqa: F821 (given in the notebook)
        path.append(p)
        if np.any(p < lo) or np.any(p > hi):
            break
    return np.array(path)
