"""The course manifest (``course.yml``), validated once into typed objects with clear errors."""

import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class CourseError(Exception):
    """A course manifest or assignment source that cannot be used, with where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    """A graded question: its Otter name, the functions whose stubs it holds, its points."""

    name: Annotated[str, Field(pattern=r"^q[0-9]+$")]
    functions: Annotated[list[str], Field(min_length=1)]
    points: Annotated[float, Field(gt=0)]
    all_or_nothing: bool = False


class Assignment(_Strict):
    """One exercise: a student template and a hidden solution folder."""

    slug: Annotated[str, Field(pattern=SLUG)]
    title: str
    seed: str = Field(description="the original notebook this assignment re-creates")
    questions: Annotated[list[Question], Field(min_length=1)]
    source: str | None = None
    solution: str | None = None
    weight: Annotated[float, Field(ge=0)] | None = Field(
        None, description="weight in a course total (`mml gradebook`); default: its points"
    )
    module: str = ""
    root: Path = Path(".")
    # Graded functions of other assignments whose reference code this notebook gives away on
    # purpose (e.g. Part 2 ships Part 1's answers); the course-wide leak check skips only these.
    reveals: dict[str, list[str]] = Field(default_factory=dict)

    @property
    def template_dir(self) -> Path:
        return self.root / (self.source or f"assignments/{self.module}/{self.slug}")

    @property
    def solution_dir(self) -> Path:
        return self.root / (self.solution or f"solutions/{self.module}/{self.slug}")

    @property
    def template(self) -> Path:
        return self.template_dir / "notebook.py"

    @property
    def tests_file(self) -> Path:
        return self.solution_dir / "tests.py"

    @property
    def solution_file(self) -> Path:
        return self.solution_dir / "solution.py"

    @property
    def mutants(self) -> list[Path]:
        return sorted((self.solution_dir / "mutants").glob("*.py"))

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def total_weight(self) -> float:
        return self.points if self.weight is None else self.weight

    @property
    def graded_functions(self) -> dict[str, Question]:
        return {f: q for q in self.questions for f in q.functions}

    def data_files(self) -> list[Path]:
        """Files shipped beside the notebook: the template folder's files but the template."""
        return sorted(
            p
            for p in self.template_dir.rglob("*")
            if p.is_file() and p != self.template and "__pycache__" not in p.parts
        )


class Module(_Strict):
    """A group of assignments (Linear Algebra, Multivariate Calculus, PCA)."""

    slug: Annotated[str, Field(pattern=SLUG)]
    title: str
    assignments: list[Assignment] = Field(default_factory=list)

    @field_validator("assignments", mode="before")
    @classmethod
    def _none_is_empty(cls, v):
        return [] if v is None else v


class BuildSettings(_Strict):
    """How the student notebooks and autograder zips are made."""

    python: str = Field("3.11", description="Python version of the grading image")
    requirements: list[str] = Field(default_factory=lambda: ["numpy", "matplotlib"])
    timeout: Annotated[int, Field(gt=0)] = 600


class GradingSettings(_Strict):
    """Limits applied to every submission by ``mml grade``."""

    timeout: Annotated[float, Field(gt=0)] = 60
    memory_mb: Annotated[int, Field(gt=64)] = 2048
    workers: Annotated[int, Field(ge=1)] = 2
    similarity: Annotated[float, Field(gt=0, le=1)] = Field(
        0.8, description="share of shared code from which report.html lists two submissions"
    )


class Course(_Strict):
    """The whole course: modules of assignments plus build and grading settings."""

    title: str
    description: str = ""
    build: BuildSettings = BuildSettings()
    grading: GradingSettings = GradingSettings()
    modules: Annotated[list[Module], Field(min_length=1)]
    root: Path = Path(".")

    @property
    def assignments(self) -> list[Assignment]:
        return [a for m in self.modules for a in m.assignments]

    def assignment(self, slug: str) -> Assignment:
        for a in self.assignments:
            if a.slug == slug:
                return a
        known = ", ".join(a.slug for a in self.assignments)
        raise CourseError(f"no assignment {slug!r} in the course (known: {known})")

    def select(self, slugs: list[str] | None) -> list[Assignment]:
        return [self.assignment(s) for s in slugs] if slugs else self.assignments


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upwards from ``start`` (default: cwd) that holds a course.yml."""
    here = (start or Path.cwd()).resolve()
    for p in [here, *here.parents]:
        if (p / "course.yml").is_file():
            return p
    raise CourseError(f"no course.yml in {here} or any folder above it")


def _key_path(manifest: dict, loc: tuple) -> str:
    """Render a pydantic error location with slugs, e.g. modules[linear-algebra].assignments[0]."""
    parts, node = [], manifest
    for item in loc:
        if isinstance(item, int):
            label = str(item)
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict):
                label = str(node[item].get("slug") or node[item].get("name") or item)
            parts[-1:] = [f"{parts[-1]}[{label}]" if parts else f"[{label}]"]
        else:
            parts.append(str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts)


def load_course(root: Path | None = None) -> Course:
    """Read and validate ``course.yml`` under ``root`` (found upwards from cwd by default)."""
    root = Path(root).resolve() if root else find_root()
    path = root / "course.yml"
    try:
        manifest = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise CourseError(f"{path}: file not found") from None
    except yaml.YAMLError as e:
        raise CourseError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(manifest, dict):
        raise CourseError(f"{path}: expected a mapping with title, modules, build, grading")
    try:
        course = Course.model_validate(manifest)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            key = _key_path(manifest, err["loc"])
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            lines.append(f"{path}: {key}: {msg}")
        raise CourseError("\n".join(lines)) from None
    return _bind(course, root, path)


def _bind(course: Course, root: Path, path: Path) -> Course:
    """Give each assignment its module and root, then check what the schema cannot."""
    modules = []
    for m in course.modules:
        assignments = [a.model_copy(update={"module": m.slug, "root": root}) for a in m.assignments]
        modules.append(m.model_copy(update={"assignments": assignments}))
    course = course.model_copy(update={"modules": modules, "root": root})
    problems = []
    seen: dict[str, str] = {}
    for m in course.modules:
        if m.slug in seen:
            problems.append(f"modules[{m.slug}]: duplicate module slug")
        seen[m.slug] = "module"
    slugs: set[str] = set()
    for a in course.assignments:
        key = f"modules[{a.module}].assignments[{a.slug}]"
        if a.slug in slugs:
            problems.append(f"{key}.slug: duplicate assignment slug {a.slug!r}")
        slugs.add(a.slug)
        problems += [f"{key}.{p}" for p in _check_assignment(a)]
    graded = {a.slug: a.graded_functions for a in course.assignments}
    for a in course.assignments:
        for slug, names in a.reveals.items():
            unknown = sorted(set(names) - set(graded.get(slug, {})))
            if slug not in graded or slug == a.slug or unknown:
                problems.append(
                    f"modules[{a.module}].assignments[{a.slug}].reveals.{slug}: expected graded "
                    f"functions of another assignment (unknown: {unknown or slug!r})"
                )
    if problems:
        raise CourseError("\n".join(f"{path}: {p}" for p in problems))
    return course


def _check_assignment(a: Assignment) -> list[str]:
    from .cases import TestSourceError, questions_tested

    problems = []
    names = [q.name for q in a.questions]
    if len(set(names)) != len(names):
        problems.append("questions: duplicate question name")
    if names != sorted(names, key=lambda n: int(n[1:])):
        problems.append(f"questions: names must be in order q1, q2, ... (got {names})")
    funcs = [f for q in a.questions for f in q.functions]
    dupes = sorted({f for f in funcs if funcs.count(f) > 1})
    if dupes:
        problems.append(f"questions: functions {dupes} belong to more than one question")
    for label, folder in (("source", a.template_dir), ("solution", a.solution_dir)):
        if not folder.is_dir():
            problems.append(f"{label}: folder {folder} does not exist")
    for f in (a.template, a.solution_file, a.tests_file):
        if f.parent.is_dir() and not f.is_file():
            problems.append(f"missing file {f}")
    if a.tests_file.is_file():
        try:
            tested = questions_tested(a.tests_file)
        except TestSourceError as e:
            problems.append(f"tests: {e}")
        else:
            for q in names:
                if q not in tested:
                    problems.append(f"questions[{q}]: has no test cases in {a.tests_file}")
            for q in sorted(set(tested) - set(names), key=lambda n: re.sub(r"\D", "", n)):
                problems.append(f"{a.tests_file} tests question {q!r}, which course.yml lacks")
    return problems
