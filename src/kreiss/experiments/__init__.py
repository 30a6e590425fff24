"""The paper's experiments (Section 7, Tables 1-3): ``kreiss reproduce``.

:func:`~.report.reproduce` runs them with a :func:`~.report.config` ("quick" or "full")
and writes CSV, Markdown, metadata.json, figures and report.md; docs/reproduce.md
defines every quantity.
"""
