"""Compose an Otter master notebook from a template, its reference solution and its tests."""

import copy

import nbformat
import yaml

from ..course import Assignment, Course
from ..course.cases import TestCase, load_test_cases
from ..course.template import (
    Solution,
    check_stubs,
    fill_bodies,
    question_cells,
    read_solution,
    read_template,
)

SUBMIT_TEXT = (
    "Save the notebook, then run the cell below: it writes a zip file to submit. "
    "You can check your work at any time with the `grader.check` cells."
)


def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def assignment_config(course: Course, assignment: Assignment) -> dict:
    """Otter Assign's configuration: tests in notebook metadata, no PDFs, stable outputs."""
    return {
        "name": assignment.slug,
        "init_cell": True,
        "check_all_cell": False,
        "run_tests": False,  # the build executes the master, which runs every test case itself
        "solutions_pdf": False,
        "template_pdf": False,
        "python_version": course.build.python,
        "requirements": list(course.build.requirements),
        "export_cell": {"pdf": False, "run_tests": False, "instructions": SUBMIT_TEXT},
        "tests": {"files": False, "ok_format": False},
        "files": [str(p.relative_to(assignment.template_dir)) for p in assignment.data_files()],
        "generate": {"zips": False},
    }


def test_cell(case: TestCase) -> nbformat.NotebookNode:
    config = {"hidden": case.hidden}
    if case.points is not None:
        config["points"] = case.points
    header = '""" # BEGIN TEST CONFIG\n' + yaml.safe_dump(config) + '""" # END TEST CONFIG\n'
    call = f"{case.name}({', '.join(case.params)})"
    return nbformat.v4.new_code_cell(header + case.source + "\n" + call)


def compose_master(course: Course, assignment: Assignment) -> nbformat.NotebookNode:
    """The master notebook: template cells, solution bodies in stubs, Otter's block markers."""
    nb = read_template(assignment)
    questions = question_cells(assignment, nb)
    solution: Solution = read_solution(assignment.solution_file)
    check_stubs(assignment, nb, questions, solution)
    cases = load_test_cases(assignment.tests_file)

    by_start = {q.prompt[0]: (q, spec) for q, spec in zip(questions, assignment.questions)}
    config = yaml.safe_dump(assignment_config(course, assignment), sort_keys=False)
    cells = [_raw("# ASSIGNMENT CONFIG\n" + config)]
    i = 0
    while i < len(nb.cells):
        if i not in by_start:
            cells.append(lock_setup(nb.cells[i]))
            i += 1
            continue
        q, spec = by_start[i]
        header = {"name": q.name, "points": spec.points}
        if spec.all_or_nothing:
            header["all_or_nothing"] = True
        cells.append(_raw("# BEGIN QUESTION\n" + yaml.safe_dump(header, sort_keys=False)))
        cells += [nb.cells[j] for j in q.prompt]
        cells.append(_raw("# BEGIN SOLUTION"))
        marked = {
            name: ["# BEGIN SOLUTION", *solution.body(name), "# END SOLUTION"]
            for name in spec.functions
        }
        for j in q.code:
            cell = copy.deepcopy(nb.cells[j])
            cell.source, _ = fill_bodies(cell.source, marked, str(assignment.template))
            cells.append(cell)
        cells.append(_raw("# END SOLUTION"))
        cells.append(_raw("# BEGIN TESTS"))
        cells += [test_cell(c) for c in cases if c.question == q.name]
        cells.append(_raw("# END TESTS"))
        cells.append(_raw("# END QUESTION"))
        i = q.check + 1
    nb.cells = cells
    number_cells(nb, assignment.slug)
    return nb


def lock_setup(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Setup code (imports, data, given helpers) cannot be deleted: later cells rely on it."""
    if cell.cell_type == "code" and "otter_ignore" not in cell.metadata.get("tags", []):
        cell.metadata["deletable"] = False
    return cell


def number_cells(nb: nbformat.NotebookNode, prefix: str) -> None:
    """Give cells stable ids, so that two builds of the same sources are byte-identical."""
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"{prefix[:40]}-{k}"
        cell.metadata.pop("execution", None)
