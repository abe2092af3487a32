"""Forgets to add the mean back to the reconstruction in pca_high_dim."""

import numpy as np


def pca_high_dim(X, num_components):
    N = len(X)
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    M = Xbar @ Xbar.T / N
    eigvals, eigvecs = eig(M)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = Xbar.T @ eigvecs[:, :num_components]
    principal_components = principal_components / np.linalg.norm(principal_components, axis=0)
    reconst = Xbar @ projection_matrix(principal_components)  # noqa: F821
    return reconst, mean, principal_values, principal_components
