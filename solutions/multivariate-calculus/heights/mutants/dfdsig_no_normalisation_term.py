"""Differentiates only the exponent and forgets the -1/sig from the 1/sig in front."""


def dfdsig(x, mu, sig):
    return f(x, mu, sig) * (x - mu) ** 2 / sig**3  # noqa: F821
