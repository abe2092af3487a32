"""Adds the shift b to the covariance as well."""


def affine_covariance(S, A, b):
    return A @ S @ A.T + b
