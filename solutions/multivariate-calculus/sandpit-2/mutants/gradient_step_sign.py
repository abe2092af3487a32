"""Steps along +gamma J, uphill, instead of -gamma J."""

import numpy as np


def gradient_step(J, gamma=0.5):
    return gamma * np.asarray(J, dtype=float)
