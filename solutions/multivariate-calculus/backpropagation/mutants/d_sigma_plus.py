"""Gets a sign wrong differentiating 1/(1 + e^-z): sigma(z) * (1 + sigma(z))."""


def d_sigma(z):
    s = sigma(z)  # noqa: F821
    return s * (1 + s)
