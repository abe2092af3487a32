"""Computes the covariance as X^T X / N from the raw data, without centring it first."""


def pca(X, num_components):
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    S = X.T @ X / len(X)
    eigvals, eigvecs = eig(S)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = eigvecs[:, :num_components]
    reconst = Xbar @ projection_matrix(principal_components) + mean  # noqa: F821
    return reconst, mean, principal_values, principal_components
