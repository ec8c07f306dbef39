"""GitHub Classroom: ``grade classroom exercise-NN --out DIR`` writes an assignment's template repository
(:mod:`.workflow`) whose workflow runs :mod:`.report` (a thin caller of :func:`grader.core.grade`) and
reports its points through the autograding reporter's result format."""
