"""Errors that end a command with exit code 2 (EXERCISES.md): shared by the CLI and its subcommands."""
from __future__ import annotations


class UsageError(Exception):
    """Bad command-line input: an unknown exercise, a missing file, a bad option. The message is one line."""


class SubmissionError(Exception):
    """The submission cannot be graded at all (missing file, unreadable notebook): a usage error."""
