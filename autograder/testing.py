"""The decorator that marks a function in a ``tests.py`` as an Otter test case."""


def case(question, *, hidden=False, points=None):
    """Mark a test case of ``question``; its parameters are names from the student's notebook.

    ``hidden`` cases reach only the autograder. ``points`` is optional: cases without points
    share what is left of the question's points equally (Otter's rule).
    """

    def mark(func):
        func.mml_case = {"question": question, "hidden": hidden, "points": points}
        return func

    return mark
