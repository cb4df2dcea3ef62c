"""Log-in: who is asking (session, bearer token or desk tablet), cookies and HTTP headers."""

import ipaddress
import re
from urllib.parse import urlsplit

from flask import Flask, abort, flash, g, has_request_context, redirect, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user
from flask_login.utils import login_url
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from ido.core.db import db
from ido.core.models import User
from ido.core.organisation import devices
from ido.core.organisation.tokens import user_for_token
from ido.web.errors import error_response, wants_json
from ido.web.extensions import login_manager

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# With its library and branches in the same query (every request asks whether the library is
# active, and the desk which branches a volunteer logs for); built once, bound per request.
_USER = (
    select(User)
    .options(joinedload(User.library), joinedload(User.branches))
    .where(User.id == bindparam("id"))
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a log-in session, while its session version is current and they may log in
    (a log-out elsewhere, a new password, a role change or deactivation ends the session)."""
    key, _colon, version = user_id.partition(":")
    if not (key.isdecimal() and len(key) < 10 and version.isdecimal() and len(version) < 10):
        return None
    user = db.session.execute(_USER, {"id": int(key)}).unique().scalar_one_or_none()
    if user is None or user.session_version != int(version) or not user.may_log_in:
        return None
    return user


@login_manager.request_loader
def load_user_from_request(req):
    """A bearer token (Authorization header) or an enrolled desk tablet's cookie logs in for
    this request only; both are checked on every request, so revoking works at once."""
    header = req.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is not None:
            g.token_auth = True
        return user
    secret = req.cookies.get(devices.COOKIE)
    device = devices.device_for_secret(secret) if secret else None
    return devices.DevicePrincipal(device) if device else None


@login_manager.unauthorized_handler
def unauthorized():
    """401 in JSON for the API and for scripts with a bad token; the log-in page for people."""
    if wants_json():
        return error_response(401, "_", "unauthorized", _("A valid API token is needed."))
    flash(_("Please log in to continue."), "info")
    return redirect(login_url(login_manager.login_view, next_url=request.url))


# A host name of labels of 1 to 63 letters, digits, - or _ (at most 253 characters), an IPv4
# address, or an IPv6 address in brackets; an optional port.
_HOST = re.compile(
    r"(?:(?=[^:]{1,253}(?::|$))[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*\.?"
    r"|\[([0-9A-Fa-f:.]{2,45})\])(?::([0-9]{1,5}))?"
)
BAD_HOST = b"400 Bad Request: the Host header is not a host name.\n"


def valid_host(host: str) -> bool:
    """Whether Werkzeug and the standard library can take the host: its spelling, a real
    IPv6 address in brackets, a port up to 65535, and punycode labels (xn--) that decode."""
    match = _HOST.fullmatch(host)
    if match is None:
        return False
    address, port = match.groups()
    if port is not None and int(port) > 65535:
        return False
    if address is not None:
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return False
        return True
    for label in host.partition(":")[0].split("."):
        if label[:4].lower() == "xn--":
            try:
                label.encode("ascii").decode("idna")
            except UnicodeError:
                return False
    return True


def _parses(url: str) -> bool:
    try:
        urlsplit(url).port  # noqa: B018 (the port is checked when it is read)
    except ValueError:
        return False
    return True


class HostGuard:
    """Refuse a request whose Host header is no host name with a plain 400, before Flask
    builds its URL adapter (a label of 64 characters or more made every route answer 500)."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if "HTTP_REFERER" in environ and not _parses(environ["HTTP_REFERER"]):
            del environ["HTTP_REFERER"]  # unreadable: as if none was sent (CSRF's check on it)
        if host is not None and not valid_host(host):
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(BAD_HOST))),
                    ("Connection", "close"),
                ],
            )
            return [BAD_HOST]
        return self.wsgi_app(environ, start_response)


# A control character (NUL among them) in the path names no page; PostgreSQL refuses NUL in
# text, so a path segment holding one must not reach a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over HTTPS (or when configured)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(
            app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure)
        )


def register(app: Flask) -> None:
    """Log-in settings, HTTPS-aware cookies and the security headers of every response."""
    app.session_interface = HttpsAwareSessionInterface()
    # inside the proxy fix: the host checked is the one the app will use
    app.wsgi_app = HostGuard(app.wsgi_app)  # type: ignore[method-assign]
    proxies = app.config["IDO_PROXY_COUNT"]
    if proxies:  # behind nginx or a load balancer: trust its X-Forwarded-Proto and -For
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @app.before_request
    def no_control_characters_in_the_path():
        if _CONTROL.search(request.path):
            abort(404)

    @app.after_request
    def security_headers(response):
        hashes = g.get("script_hashes")  # an import map on the page (assets.modules)
        csp = (
            CSP.replace("script-src 'self'", " ".join(("script-src 'self'", *hashes)))
            if hashes
            else CSP
        )
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static" and current_user and current_user.is_authenticated:
            # What a logged-in person sees (notes, today's questions, people) stays out of
            # the browser's cache and back/forward cache: a shared computer's next user
            # cannot bring it back. The offline desk keeps its own copy (a service worker).
            response.headers.setdefault("Cache-Control", "no-store")
        return response
