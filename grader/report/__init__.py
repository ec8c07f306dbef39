"""Rendering: free functions that turn a GradeReport into terminal text, HTML, Markdown and JSON
through the Jinja templates in ``templates/``."""
