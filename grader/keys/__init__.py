"""Answer keys: what grading compares a student's outcomes with (``docs/answer-keys.md``).

``model`` (a key in memory), ``pack`` (JSON + npz), ``load`` (finding the stored keys; shipped),
``build`` and ``hidden`` (compiling keys from the specs and solutions/; instructor side only),
``commands`` (``grade key build``).
"""
