"""``answered``: the helper that demo cells of student notebooks call before using an answer.

The build copies this function into the first code cell of every template that calls it, so
each notebook stays self-contained and the authors write it once, here.
"""


def answered(**answers):
    """Whether the answers a cell needs are in, e.g. answered(q1=your_function(example)).

    A function that is still blank (`...`) returns None, and a figure cannot be drawn from
    None: then say which questions to finish first, and return False.
    """

    def missing(answer):
        parts = answer if isinstance(answer, tuple) else (answer,)
        return any(part is None or part is Ellipsis for part in parts)

    unfinished = [q.lstrip("q") for q, answer in answers.items() if missing(answer)]
    if len(unfinished) == 1:
        print(f"Finish Question {unfinished[0]} first: this cell uses your answer.")
    elif unfinished:
        print(f"Finish Questions {', '.join(unfinished)} first: this cell uses your answers.")
    return not unfinished
