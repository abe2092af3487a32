"""Maps the N x N eigenvectors back with Xbar^T but does not rescale them to unit length."""


def pca_high_dim(X, num_components):
    N = len(X)
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    M = Xbar @ Xbar.T / N
    eigvals, eigvecs = eig(M)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = Xbar.T @ eigvecs[:, :num_components]
    reconst = Xbar @ projection_matrix(principal_components) + mean  # noqa: F821
    return reconst, mean, principal_values, principal_components
