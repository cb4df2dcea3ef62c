"""Static files under a content hash: `/static/css/ido.css?v=<hash>` is cached for a year as
immutable, so a repeat visit asks for nothing but the page; a changed file gets a new hash,
so no browser keeps an old one."""

import hashlib
import os
from functools import cache

from flask import Flask, request

ONE_YEAR = 365 * 24 * 3600


def register(app: Flask) -> None:
    folder = app.static_folder or ""

    @cache
    def content_hash(filename: str) -> str:
        with open(os.path.join(folder, filename), "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()[:12]

    def current_hash(filename: str) -> str:
        if app.debug:  # `flask run --debug`: files change while it runs
            content_hash.cache_clear()
        try:
            return content_hash(filename)
        except OSError:
            return ""

    @app.url_defaults
    def hashed_static_url(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = current_hash(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_static(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        # Small files: read whole, so that they are compressed like a page (a streamed file
        # would be left for the garbage collector to close).
        response.direct_passthrough = False
        response.make_sequence()
        if request.args.get("v") and request.args["v"] == current_hash(filename):
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.public = True
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
            response.headers.pop("Expires", None)
        else:  # an old or missing hash: serve the file, but let the browser ask again
            response.cache_control.no_cache = True
        return response
