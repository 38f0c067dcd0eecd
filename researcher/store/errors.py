"""Errors the store raises; each message is one line a user can act on."""


class ResearcherError(Exception):
    """Base of every error shown to the user as `Error: <message>`."""


class NotFound(ResearcherError):
    """A company, person, feed or note that does not exist."""


class Ambiguous(ResearcherError):
    """A name that matches more than one record."""


class Invalid(ResearcherError):
    """Input that breaks a rule: empty name, bad date, unknown status..."""
