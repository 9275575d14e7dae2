"""What the programs services refuse; the API turns these into 403 and 409 answers."""


class ShippedReadOnly(Exception):
    """The shipped library (clinic NULL) cannot be changed by a clinic."""


class ProgramStateError(Exception):
    """The patient's or the program's state does not allow this (a 409 to the caller)."""


class LadderStateError(Exception):
    """The ladder's state does not allow this change (a 409 to the caller)."""
