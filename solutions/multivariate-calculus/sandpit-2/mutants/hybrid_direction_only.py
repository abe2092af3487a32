"""Checks only whether the Newton step goes downhill, not its length."""

import numpy as np


def hybrid_step(J, H, gamma=0.5, max_len=2.0):
    s = -np.linalg.solve(H, J)
    if s @ J >= 0:
        return -gamma * np.asarray(J, dtype=float)
    return s
