"""Returns aggression * J, a step up the chi-squared surface instead of down."""

import numpy as np


def steepest_step(x, y, mu, sig, aggression):
    residual = y - f(x, mu, sig)  # noqa: F821
    J = np.array(
        [
            -2 * np.sum(residual * dfdmu(x, mu, sig)),  # noqa: F821
            -2 * np.sum(residual * dfdsig(x, mu, sig)),  # noqa: F821
        ]
    )
    return aggression * J
