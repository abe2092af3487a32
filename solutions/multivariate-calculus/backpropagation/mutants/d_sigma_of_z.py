"""Applies the formula s(1 - s) to z itself instead of to sigma(z)."""


def d_sigma(z):
    return z * (1 - z)
