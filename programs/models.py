"""Exercises, programs and the run ladder."""
