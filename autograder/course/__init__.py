"""The course as authors write it: the manifest (``course.yml``), templates and test cases.

``manifest`` validates ``course.yml`` into typed objects; ``template`` reads an assignment's
jupytext template and its reference solution; ``cases`` turns ``tests.py`` into Otter test
functions. Authors write tests with ``autograder.testing.case`` and ``autograder.checks``.
"""

from .manifest import (
    Assignment,
    BuildSettings,
    Course,
    CourseError,
    GradingSettings,
    Module,
    Question,
    find_root,
    load_course,
)

__all__ = [
    "Assignment",
    "BuildSettings",
    "Course",
    "CourseError",
    "GradingSettings",
    "Module",
    "Question",
    "find_root",
    "load_course",
]
