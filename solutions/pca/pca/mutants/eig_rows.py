"""Returns the eigenvectors as rows instead of columns."""

import numpy as np


def eig(S):
    eigvals, eigvecs = np.linalg.eigh(S)
    order = np.argsort(eigvals)[::-1]
    return eigvals[order], eigvecs[:, order].T
