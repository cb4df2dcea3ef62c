"""Rendering a page with a form: 422 when the form (or the service behind it) refused input."""

from flask import render_template
from flask_wtf import FlaskForm


def render_form(template: str, form: FlaskForm | None, **context):
    """The page with its form; 422 when any field carries an error, 200 otherwise."""
    status = 422 if form is not None and form.errors else 200
    return render_template(template, form=form, **context), status
