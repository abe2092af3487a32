"""Sorts the eigenpairs by the absolute value of the eigenvalues."""

import numpy as np


def eig(S):
    eigvals, eigvecs = np.linalg.eig(S)
    order = np.argsort(np.abs(eigvals))[::-1]
    return eigvals[order], eigvecs[:, order]
