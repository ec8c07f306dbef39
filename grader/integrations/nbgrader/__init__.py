"""nbgrader: ``course`` generates a course, ``cell`` is what a locked test cell runs, and
``commands`` holds ``grade nbgrader init`` and ``grade nbgrader verify``."""
