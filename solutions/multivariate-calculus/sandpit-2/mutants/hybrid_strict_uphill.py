"""Refuses the Newton step only when s . J > 0, keeping it when s . J == 0."""

import numpy as np


def hybrid_step(J, H, gamma=0.5, max_len=2.0):
    s = -np.linalg.solve(H, J)
    if s @ J > 0 or np.linalg.norm(s) > max_len:
        return -gamma * np.asarray(J, dtype=float)
    return s
