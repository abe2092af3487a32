"""Averages over the bins instead of summing them (chi^2 is a sum, not a mean)."""

import numpy as np


def steepest_step(x, y, mu, sig, aggression):
    residual = y - f(x, mu, sig)  # noqa: F821
    J = np.array(
        [
            -2 * np.mean(residual * dfdmu(x, mu, sig)),  # noqa: F821
            -2 * np.mean(residual * dfdsig(x, mu, sig)),  # noqa: F821
        ]
    )
    return -aggression * J
