"""Always uses a step size of 0.5, whatever gamma is passed."""

import numpy as np


def gradient_step(J, gamma=0.5):
    return -0.5 * np.asarray(J, dtype=float)
