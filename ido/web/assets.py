"""Static files under a content hash: `/static/css/ido.css?v=<hash>` is cached for a year as
immutable, so a repeat visit asks for nothing but the page; a changed file gets a new hash,
so no browser keeps an old one. Native JavaScript modules import each other by plain
relative names (`./clock.js`): an import map sends each name to its hashed address."""

import base64
import hashlib
import json
import os
from functools import cache

from flask import Flask, g, request, url_for
from markupsafe import Markup

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

    @cache
    def module_tags(folder: str, entry: str, _version: str) -> tuple[Markup, str]:
        path = os.path.join(app.static_folder or "", folder)
        files = sorted(name for name in os.listdir(path) if name.endswith(".js"))
        urls = {name: url_for("static", filename=f"{folder}/{name}") for name in files}
        imports = {url.partition("?")[0]: url for url in urls.values()}
        text = json.dumps({"imports": imports}, separators=(",", ":"))
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        tags = [f'<script type="importmap">{text}</script>']
        tags += [
            f'<link rel="modulepreload" href="{url}">' for n, url in urls.items() if n != entry
        ]
        tags.append(f'<script type="module" src="{urls[entry]}"></script>')
        return Markup("\n".join(tags)), f"'sha256-{digest}'"

    def modules(folder: str, entry: str) -> Markup:
        """The tags that load the modules of a folder under static/ (its `entry` first): the
        import map (allowed by its hash in this answer's Content-Security-Policy), a preload
        of each module, and the entry as a module script."""
        names = sorted(os.listdir(os.path.join(app.static_folder or "", folder)))
        version = "".join(current_hash(f"{folder}/{name}") for name in names)
        tags, digest = module_tags(folder, entry, version)
        g.script_hashes = (*g.get("script_hashes", ()), digest)
        return tags

    app.jinja_env.globals["modules"] = modules

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
