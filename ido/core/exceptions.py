"""Every error the core raises for input it refuses; front ends turn them into 4xx answers.

Messages are written for the person who typed the input (translated); they never repeat
refused text that may hold personal data.
"""


class ServiceError(ValueError):
    """Input that cannot be stored; the message says why, for the person who typed it."""


class WrongPassword(ServiceError):
    """The current password given to confirm a change is not the user's (throttled)."""


class IdConflict(ServiceError):
    """A question with this id exists with different content."""


class ParamError(ServiceError):
    """A report or list parameter that cannot be used: 422, or 403 for a branch out of scope."""

    def __init__(self, field: str, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.field, self.code, self.message, self.status = field, code, message, status


class InvalidQuestion(ServiceError):
    """A question that breaks a rule of the service: {field: [(code, message), ...]}."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__("; ".join(m for found in errors.values() for _c, m in found))
        self.errors = errors


class InvalidActivity(ParamError):
    """An activity, a session or a count that breaks a rule (ido.core.activities): 422."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(field, code, message, 422)
