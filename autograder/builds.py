"""Where an assignment's build outputs are, and the digest that says whether they are current.

Apart from ``autograder.build`` (which imports nbformat, nbclient and jupytext to make builds)
so that ``mml grade`` can check a build without paying for those imports.
"""

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

# Packages of commands that only read dist/ (grading, validation, self-checks) cannot change
# what a build writes; every other module of the framework can, new ones included.
NOT_BUILD_INPUTS = {"grade", "validate", "check", "gradebook", "cli", "__pycache__"}


@dataclass(frozen=True)
class Built:
    """Where an assignment's build outputs are."""

    slug: str
    root: Path

    @property
    def student_dir(self) -> Path:
        return self.root / "student"

    @property
    def student_notebook(self) -> Path:
        return self.student_dir / f"{self.slug}.ipynb"

    @property
    def autograder_zip(self) -> Path:
        return self.root / "autograder" / f"{self.slug}-autograder.zip"

    @property
    def reference_notebook(self) -> Path:
        return self.root / "autograder" / f"{self.slug}.ipynb"

    @property
    def stamp(self) -> Path:
        return self.root / ".build-stamp"


def source_hash(course, assignment) -> str:
    """A digest of everything a build reads, so unchanged assignments are not rebuilt."""
    h = hashlib.sha256()
    # A weight only matters to gradebooks: changing it must not rebuild the assignment.
    entry = assignment.model_dump(mode="json", exclude={"root", "weight"})
    h.update(json.dumps([entry, course.build.model_dump(mode="json")], sort_keys=True).encode())
    h.update(version("otter-grader").encode())
    package_parent = Path(__file__).resolve().parents[1]
    files = [(p.relative_to(package_parent), p) for p in framework_files()]
    for folder in (assignment.template_dir, assignment.solution_dir):
        files += sorted(
            (p.relative_to(course.root) if p.is_relative_to(course.root) else p.name, p)
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )
    for label, p in files:
        h.update(str(label).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def framework_files() -> list[Path]:
    """The framework's source files that a build depends on (derived, not a hand-kept list)."""
    package = Path(__file__).resolve().parent
    return sorted(
        p for p in package.rglob("*.py") if not NOT_BUILD_INPUTS & set(p.relative_to(package).parts)
    )
