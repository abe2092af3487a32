"""Divides the covariance by N - 1 (the sample covariance) instead of N."""


def pca(X, num_components):
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    S = Xbar.T @ Xbar / (len(X) - 1)
    eigvals, eigvecs = eig(S)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = eigvecs[:, :num_components]
    reconst = Xbar @ projection_matrix(principal_components) + mean  # noqa: F821
    return reconst, mean, principal_values, principal_components
