"""Fixtures: a copy of the toy course (tests/fixtures/toy-course) that a test may change."""

import shutil
from pathlib import Path

import pytest

from autograder.build import build
from autograder.course import load_course

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "toy-course"


def copy_toy(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("dist", "__pycache__"))
    return dest


@pytest.fixture
def toy(tmp_path) -> Path:
    """A fresh, unbuilt copy of the toy course."""
    return copy_toy(tmp_path / "toy")


@pytest.fixture(scope="session")
def built_toy(tmp_path_factory):
    """The toy course, built once for the session (read-only for tests)."""
    root = copy_toy(tmp_path_factory.mktemp("built") / "toy")
    course = load_course(root)
    (built,) = build(course, None, root / "dist", echo=lambda *a, **k: None)
    return course, built
