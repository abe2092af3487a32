"""Returns the eigenpairs in the ascending order of np.linalg.eigh, smallest first."""

import numpy as np


def eig(S):
    return np.linalg.eigh(S)
