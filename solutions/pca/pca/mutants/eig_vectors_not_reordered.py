"""Sorts the eigenvalues but leaves the eigenvectors in their original order."""

import numpy as np


def eig(S):
    eigvals, eigvecs = np.linalg.eigh(S)
    return np.sort(eigvals)[::-1], eigvecs
