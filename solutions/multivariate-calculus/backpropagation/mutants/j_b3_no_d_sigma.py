"""Forgets the derivative of the output activation in J_b3 (stops the chain one link early)."""

import numpy as np


def J_b3(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)  # noqa: F821
    delta3 = 2 * (a3 - y) / x.shape[1]
    return np.sum(delta3, axis=1, keepdims=True)
