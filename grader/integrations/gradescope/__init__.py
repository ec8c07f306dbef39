"""Gradescope: ``grade gradescope exercise-NN --out autograder.zip`` builds an autograder bundle
(:mod:`.bundle`); inside Gradescope's container ``run_autograder`` runs :mod:`.autograder`, which grades
the submission with :func:`grader.core.grade` and writes ``results.json`` (:mod:`.results`)."""
