"""Writes the residual as f - y but keeps the -2 meant for y - f: the step goes uphill."""

import numpy as np


def steepest_step(x, y, mu, sig, aggression):
    residual = f(x, mu, sig) - y  # noqa: F821
    J = np.array(
        [
            -2 * np.sum(residual * dfdmu(x, mu, sig)),  # noqa: F821
            -2 * np.sum(residual * dfdsig(x, mu, sig)),  # noqa: F821
        ]
    )
    return -aggression * J
