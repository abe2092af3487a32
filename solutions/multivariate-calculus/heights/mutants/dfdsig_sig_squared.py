"""Writes (x - mu)^2 / sig^2 instead of / sig^3 in the derivative with respect to sig."""


def dfdsig(x, mu, sig):
    return f(x, mu, sig) * ((x - mu) ** 2 / sig**2 - 1 / sig)  # noqa: F821
