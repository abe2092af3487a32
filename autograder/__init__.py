"""Autograded exercises for Mathematics for Machine Learning, built on Otter-Grader."""

__version__ = "0.1.0"
