"""Read a student template and a reference solution; find questions and stubs; fill stubs."""

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from .manifest import Assignment, CourseError

CHECK_CELL = re.compile(r"""^\s*grader\.check\(\s*["'](q[0-9]+)["']\s*\)\s*$""")
OTTER_MARKERS = re.compile(
    r"#\s*(BEGIN|END)\s+(SOLUTION|QUESTION|TESTS|PROMPT|IGNORE)|#\s*(SOLUTION|IGNORE|SEED)\s*$",
    re.MULTILINE,
)


@dataclass
class QuestionCells:
    """Where a question sits in the template: prompt cells, stub cells and its check cell."""

    name: str
    prompt: list[int]
    code: list[int]
    check: int


def read_template(assignment: Assignment) -> nbformat.NotebookNode:
    """The template notebook (jupytext percent format), with a Python 3 kernelspec."""
    try:
        nb = jupytext.read(assignment.template, fmt="py:percent")
    except Exception as e:  # jupytext raises many kinds
        raise CourseError(f"{assignment.template}: not a percent notebook: {e}") from None
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for cell in nb.cells:
        cell.metadata.pop("lines_to_next_cell", None)
    _give_answered(nb)
    return nb


ANSWERED = Path(__file__).with_name("answered.py")


def _give_answered(nb: nbformat.NotebookNode) -> None:
    """Demo cells call ``answered(q2=...)`` to say "finish Question 2 first" instead of failing
    on a blank stub: the function (written once, in ``answered.py``) is appended to the first
    code cell of every template that calls it, so each notebook stays self-contained."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or not any("answered(" in c.source for c in code):
        return
    if any(re.search(r"^def answered\(", c.source, re.M) for c in code):
        return  # the template defines its own
    text = ANSWERED.read_text()
    code[0].source = code[0].source.rstrip("\n") + "\n\n\n" + text[text.index("def answered(") :]


def _where(assignment: Assignment, i: int, cell) -> str:
    first = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else "(empty)"
    return f"{assignment.template}: cell {i} ({first!r})"


def question_cells(assignment: Assignment, nb: nbformat.NotebookNode) -> list[QuestionCells]:
    """Locate each question of the manifest in the template, enforcing the authoring rules."""
    found: list[QuestionCells] = []
    i, cells = 0, nb.cells
    while i < len(cells):
        cell = cells[i]
        if OTTER_MARKERS.search(cell.source):
            raise CourseError(f"{_where(assignment, i, cell)}: contains an Otter comment marker")
        if cell.cell_type == "code" and CHECK_CELL.match(cell.source):
            raise CourseError(f"{_where(assignment, i, cell)}: check cell outside a question")
        name = cell.metadata.get("question")
        if name is None:
            i += 1
            continue
        if cell.cell_type != "markdown":
            raise CourseError(f"{_where(assignment, i, cell)}: question= goes on a markdown cell")
        q = QuestionCells(name, [], [], -1)
        while i < len(cells) and cells[i].cell_type == "markdown":
            if cells[i].metadata.get("question") not in (None, name) or (
                q.prompt and "question" in cells[i].metadata
            ):
                raise CourseError(f"{_where(assignment, i, cells[i])}: unexpected question=")
            q.prompt.append(i)
            i += 1
        while i < len(cells) and cells[i].cell_type == "code":
            m = CHECK_CELL.match(cells[i].source)
            if m:
                if m.group(1) != name:
                    raise CourseError(
                        f"{_where(assignment, i, cells[i])}: checks {m.group(1)} inside {name}"
                    )
                q.check = i
                break
            q.code.append(i)
            i += 1
        if q.check < 0 or not q.code:
            raise CourseError(
                f"{assignment.template}: question {name} must be markdown cell(s), then code "
                f'cell(s) with the stubs, then a cell `grader.check("{name}")` (no markdown '
                "between the stubs and the check)"
            )
        found.append(q)
        i += 1
    expected = [q.name for q in assignment.questions]
    if [q.name for q in found] != expected:
        raise CourseError(
            f"{assignment.template}: questions in the template are "
            f"{[q.name for q in found]}, but course.yml lists {expected}"
        )
    return found


def functions_in(source: str, where: str) -> dict[str, ast.FunctionDef]:
    """Top-level function definitions of a piece of Python source."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise CourseError(f"{where}: syntax error on line {e.lineno}: {e.msg}") from None
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def is_blank_stub(fn: ast.FunctionDef) -> bool:
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            body = body[1:]
    return (
        len(body) == 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and body[0].value.value is Ellipsis
    )


def signature(fn: ast.FunctionDef) -> str:
    return f"{fn.name}({ast.unparse(fn.args)})"


def body_lines(source: str, fn: ast.FunctionDef) -> list[str]:
    """The lines of a function's body after its docstring, dedented."""
    stmts = fn.body
    if stmts and isinstance(stmts[0], ast.Expr) and isinstance(stmts[0].value, ast.Constant):
        if isinstance(stmts[0].value.value, str) and len(stmts) > 1:
            stmts = stmts[1:]
    lines = source.splitlines()[stmts[0].lineno - 1 : fn.end_lineno]
    return textwrap.dedent("\n".join(lines)).splitlines()


def replace_body(source: str, name: str, new_body: list[str], where: str) -> str:
    """Replace the body (after the docstring) of function ``name`` in a cell's source."""
    fn = functions_in(source, where).get(name)
    if fn is None:
        raise CourseError(f"{where}: no function {name}")
    stmts = fn.body
    has_doc = isinstance(stmts[0], ast.Expr) and isinstance(stmts[0].value, ast.Constant)
    has_doc = has_doc and isinstance(stmts[0].value.value, str)
    first = stmts[1] if has_doc and len(stmts) > 1 else stmts[0]
    indent = " " * first.col_offset
    lines = source.splitlines()
    replaced = [indent + line if line.strip() else "" for line in new_body]
    return "\n".join(lines[: first.lineno - 1] + replaced + lines[fn.end_lineno :])


def fill_bodies(source: str, bodies: dict[str, list[str]], where: str) -> tuple[str, set[str]]:
    """Write in the body of each function of ``bodies`` that ``source`` defines at top level;
    return the new source and the names filled."""
    filled = set(functions_in(source, where)) & set(bodies)
    for name in filled:
        source = replace_body(source, name, bodies[name], where)
    return source, filled


@dataclass
class Solution:
    """The reference: each graded function's source and parsed definition."""

    source: str
    functions: dict[str, ast.FunctionDef]

    def body(self, name: str) -> list[str]:
        return body_lines(self.source, self.functions[name])


def read_solution(path: Path) -> Solution:
    source = Path(path).read_text()
    return Solution(source, functions_in(source, str(path)))


def check_stubs(assignment: Assignment, nb, questions: list[QuestionCells], solution: Solution):
    """Every graded function is a blank stub in its question, with the solution's signature."""
    for q, spec in zip(questions, assignment.questions, strict=True):
        stubs: dict[str, ast.FunctionDef] = {}
        for i in q.code:
            stubs.update(functions_in(nb.cells[i].source, _where(assignment, i, nb.cells[i])))
        for name in spec.functions:
            if name not in stubs:
                raise CourseError(
                    f"{assignment.template}: question {q.name} must hold a stub `def {name}(...)`"
                )
            if not is_blank_stub(stubs[name]):
                raise CourseError(
                    f"{assignment.template}: stub {name} must be a docstring and `...` only"
                )
            if name not in solution.functions:
                raise CourseError(f"{assignment.solution_file}: no reference for {name}")
            want, got = signature(solution.functions[name]), signature(stubs[name])
            if want != got:
                raise CourseError(
                    f"{assignment.template}: stub {got} does not match the solution's {want} "
                    f"({assignment.solution_file})"
                )
