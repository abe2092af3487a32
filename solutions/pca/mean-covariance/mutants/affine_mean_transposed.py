"""Multiplies from the wrong side, mean @ A, which applies A^T."""


def affine_mean(mean, A, b):
    return mean @ A + b
