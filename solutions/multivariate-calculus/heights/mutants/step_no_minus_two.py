"""Forgets the -2 of the chain rule in J, so the step goes uphill and is half as long."""

import numpy as np


def steepest_step(x, y, mu, sig, aggression):
    residual = y - f(x, mu, sig)  # noqa: F821
    J = np.array(
        [
            np.sum(residual * dfdmu(x, mu, sig)),  # noqa: F821
            np.sum(residual * dfdsig(x, mu, sig)),  # noqa: F821
        ]
    )
    return -aggression * J
