"""Shared test data and builders (on the path through pytest's pythonpath = ["tests"])."""
