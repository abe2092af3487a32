"""OK-format (doctest) test files in the judge: which student names they read, and running them.

Otter runs an OK test's doctests with the notebook's globals as their globals. The judge has
no such dictionary: it asks the sandbox for every name the doctests read (functions arrive
as proxies that call into the sandbox, values as copies) and hands that dictionary to Otter's
own ``OKTestFile.run``, so output comparison, hidden tests, points and ``all_or_nothing`` are
Otter's code, not ours.
"""

import ast
import builtins
import doctest

MAX_PRINTED = 64 * 1024  # characters a student function's output may add to a doctest's


def is_ok(test_file) -> bool:
    from otter.test_files.ok_test import OKTestFile

    return isinstance(test_file, OKTestFile)


def names(test_file) -> list[str]:
    """Global names the test file's doctests read, that a notebook could have defined.

    Builtins are included: a notebook may shadow ``sum`` or ``len`` and Otter would then use
    the notebook's; names the sandbox does not have are simply absent from the reply.
    """
    found: dict[str, None] = {}
    parser = doctest.DocTestParser()
    for tc in test_file.test_cases:
        for example in parser.get_examples(str(tc.body)):
            try:
                tree = ast.parse(example.source)
            except SyntaxError:
                continue  # doctest reports it as a failure, as Otter does
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    found.setdefault(node.id, None)
    return list(found)


def environment(values: dict) -> dict:
    """The doctests' globals: the student's names over the judge's builtins."""
    env = {"__builtins__": builtins, "__name__": "__main__"}
    env.update(values)
    return env
