"""Returns the farthest image (argmax) instead of the nearest."""

import numpy as np


def most_similar_image(X, i):
    return int(np.argmax(np.linalg.norm(X - X[i], axis=1)))
