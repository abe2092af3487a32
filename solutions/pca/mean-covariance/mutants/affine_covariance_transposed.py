"""Puts the transpose on the wrong side: A^T S A."""


def affine_covariance(S, A, b):
    return A.T @ S @ A
