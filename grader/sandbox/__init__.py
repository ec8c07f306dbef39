"""The sandbox: everything that runs student code and brings its results back.

``runner`` starts and supervises the child process, ``child`` is the harness that runs inside it
(standard library and NumPy only), and ``codec`` strictly decodes what the child sends back.
Student code never runs in the grader's own process.
"""
