"""Exceptions raised by kreiss.

Every error that reaches a user is a :class:`KreissError` with a one-line message; the CLI
prints the message and exits non-zero without a traceback.
"""


class KreissError(ValueError):
    """Bad input or a question with no finite answer, stated in one line."""


class InputError(KreissError):
    """The matrix (or file) given cannot be analysed: empty, non-square, NaN/Inf, unreadable."""


class UnstableError(KreissError):
    """The spectral radius (abscissa) is >= 1 (>= 0): the asked quantity is infinite."""
