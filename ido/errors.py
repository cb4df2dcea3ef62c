"""Application-wide error pages: JSON under /api/, HTML elsewhere."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .reports.params import ParamError


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist (any more)."),
        405: _("This action is not allowed here."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Your last action may not have been saved."),
    }


def _respond(code: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify(errors={"_": [{"code": str(code), "message": message}]}), code
    return render_template("errors/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(ParamError)
    def param_error(error: ParamError):
        # the API answers these itself, with the field and code; pages show the message
        return _respond(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(400, _("This form has expired. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        return _respond(error.code, _messages().get(error.code, error.description))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _respond(500, _messages()[500])
