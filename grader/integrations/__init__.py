"""Thin callers of :func:`grader.core.grade` for the places instructors grade: ``batch`` (a whole
class on one machine) and ``nbgrader`` (course generation, locked test cells, verification), and where
students work: ``jupyter`` (the ``%grade`` magics and ``grader.check()``)."""
