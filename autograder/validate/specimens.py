"""Make submissions from a built student notebook: the reference, blanks and mutants."""

import nbformat

from ..build import Built, ensure_built
from ..course import Assignment, Course
from ..course.template import Solution, fill_bodies, read_solution


def fill(student_nb: nbformat.NotebookNode, bodies: dict[str, list[str]]) -> nbformat.NotebookNode:
    """A copy of the student notebook with the named stubs' bodies written in."""
    nb = nbformat.from_dict(student_nb)
    left = dict(bodies)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "otter_answer_cell" not in cell.metadata.get("tags", []):
            continue
        cell.source, filled = fill_bodies(cell.source, left, f"cell {i}")
        for name in filled:
            del left[name]
    if left:
        raise ValueError(f"no answer cell defines {sorted(left)}")
    return nb


def _bodies(solution: Solution, names) -> dict[str, list[str]]:
    return {n: solution.body(n) for n in names}


def reference_bodies(assignment: Assignment) -> dict[str, list[str]]:
    return _bodies(read_solution(assignment.solution_file), assignment.graded_functions)


def mutant_bodies(assignment: Assignment) -> dict[str, dict[str, list[str]]]:
    """Per mutant (file stem): every graded function's body, the mutant's where it has one."""
    reference = reference_bodies(assignment)
    out = {}
    for path in assignment.mutants:
        mutant = read_solution(path)
        unknown = set(mutant.functions) - set(assignment.graded_functions)
        if unknown:
            raise ValueError(f"{path}: defines {sorted(unknown)}, which are not graded functions")
        out[path.stem] = {**reference, **_bodies(mutant, mutant.functions)}
    return out


def _student(course: Course, slug: str) -> nbformat.NotebookNode:
    built: Built = ensure_built(course, slug)
    return nbformat.read(built.student_notebook, as_version=4)


def blank_submission(course: Course, slug: str) -> nbformat.NotebookNode:
    return _student(course, slug)


def reference_submission(course: Course, slug: str) -> nbformat.NotebookNode:
    return fill(_student(course, slug), reference_bodies(course.assignment(slug)))


def mutant_submissions(course: Course, slug: str) -> dict[str, nbformat.NotebookNode]:
    student = _student(course, slug)
    return {
        name: fill(student, bodies)
        for name, bodies in mutant_bodies(course.assignment(slug)).items()
    }
