"""Multiplies the inverse from the other side: -J H^{-1} (the same only when H is symmetric)."""

import numpy as np


def newton_step(J, H):
    return -np.asarray(J) @ np.linalg.inv(H)
