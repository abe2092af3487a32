"""Reference solution for pca: principal component analysis from scratch."""

import numpy as np


def normalize(X):
    mu = np.mean(X, axis=0)
    Xbar = X - mu
    return Xbar, mu


def eig(S):
    eigvals, eigvecs = np.linalg.eigh(S)
    order = np.argsort(eigvals)[::-1]
    return eigvals[order], eigvecs[:, order]


def projection_matrix(B):
    B = np.asarray(B, dtype=float)
    return B @ np.linalg.solve(B.T @ B, B.T)


def pca(X, num_components):
    Xbar, mean = normalize(X)
    S = Xbar.T @ Xbar / len(X)
    eigvals, eigvecs = eig(S)
    principal_values = eigvals[:num_components]
    principal_components = eigvecs[:, :num_components]
    reconst = Xbar @ projection_matrix(principal_components) + mean
    return reconst, mean, principal_values, principal_components


def pca_high_dim(X, num_components):
    N = len(X)
    Xbar, mean = normalize(X)
    M = Xbar @ Xbar.T / N
    eigvals, eigvecs = eig(M)
    principal_values = eigvals[:num_components]
    principal_components = Xbar.T @ eigvecs[:, :num_components]
    principal_components = principal_components / np.linalg.norm(principal_components, axis=0)
    reconst = Xbar @ projection_matrix(principal_components) + mean
    return reconst, mean, principal_values, principal_components
