"""Application-wide error answers: JSON under /api/, HTML pages elsewhere; one JSON builder."""

from flask import Flask, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ido.core.db import db
from ido.core.exceptions import InvalidQuestion, ParamError, ServiceError


def errors_response(status: int, errors: dict):
    """The API's error body: {"errors": {field: [{"code": ..., "message": ...}]}}."""
    return jsonify(errors=errors), status


def error_response(status: int, field: str, code: str, message: str):
    """One error on one field ("_" for the request as a whole)."""
    return errors_response(status, {field: [{"code": code, "message": message}]})


def refusal(error: ServiceError) -> tuple[int, dict]:
    """A service's refusal as the API's errors ({field: [{code, message}]}), with its status."""
    if isinstance(error, ParamError):
        return error.status, {error.field: [{"code": error.code, "message": error.message}]}
    found = error.errors if isinstance(error, InvalidQuestion) else {"_": [("invalid", str(error))]}
    return 422, {
        field: [{"code": code, "message": message} for code, message in problems]
        for field, problems in found.items()
    }


def wants_json() -> bool:
    """Scripts (the API, or any request with a bearer token) get JSON, people a page."""
    return request.path.startswith("/api/") or "Authorization" in request.headers


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist (any more)."),
        405: _("This action is not allowed here."),
        413: _("The request is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Your last action may not have been saved."),
    }


def respond(code: int, message: str, field: str = "_", error: str | None = None):
    """An error answer in the form the client reads: JSON for scripts (the API, or a bearer
    token on a report), a page for people."""
    if wants_json():
        return error_response(code, field, error or str(code), message)
    return render_template("errors/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(ParamError)
    def param_error(error: ParamError):
        return respond(error.status, error.message, error.field, error.code)

    @app.errorhandler(ServiceError)
    def refused(error: ServiceError) -> ResponseReturnValue:
        """Input a service refused that no form caught first (the forms check the same rules,
        so this is a safety net): 422, and the request's writes are rolled back."""
        db.session.rollback()
        if wants_json():
            return errors_response(*refusal(error))
        return render_template("errors/error.html", code=422, message=str(error)), 422

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return respond(
            400, _("This form has expired. Reload the page and try again."), error="csrf"
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = make_response(
            respond(error.code, _messages().get(error.code, error.description))
        )
        # the answer is built anew, so the exception's own headers are copied: Allow on a 405
        # (RFC 9110), Retry-After on a 429, ...
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()  # Flask logged it (IdoFlask.log_exception: the route, no path)
        return respond(500, _messages()[500])
