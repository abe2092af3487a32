"""Rescales Xbar^T u by 1/sqrt(lambda), forgetting the factor N: components of length sqrt(N)."""

import numpy as np


def pca_high_dim(X, num_components):
    N = len(X)
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    M = Xbar @ Xbar.T / N
    eigvals, eigvecs = eig(M)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = Xbar.T @ eigvecs[:, :num_components] / np.sqrt(principal_values)
    reconst = Xbar @ projection_matrix(principal_components) + mean  # noqa: F821
    return reconst, mean, principal_values, principal_components
