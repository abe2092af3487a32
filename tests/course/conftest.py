"""Helpers for the course tests: load a solution module by slug; read a run notebook's cells."""

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


def guarded_cells(nb) -> list:
    """The demo cells that wait for an answer (``if answered(...)``)."""
    return [c for c in nb.cells if c.cell_type == "code" and "if answered(" in c.source]


def text_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def shows_something(cell) -> bool:
    return any(o.output_type in ("display_data", "execute_result") for o in cell.outputs) or bool(
        text_of(cell).strip()
    )
