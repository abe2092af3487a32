"""Fixtures for unit tests of the reference solutions: load a solution module by slug."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_solution(slug: str):
    """Import ``solutions/<module>/<slug>/solution.py`` as a fresh module."""
    matches = sorted(ROOT.glob(f"solutions/*/{slug}/solution.py"))
    if not matches:
        pytest.fail(f"no solutions/*/{slug}/solution.py")
    spec = importlib.util.spec_from_file_location(f"solution_{slug.replace('-', '_')}", matches[0])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
