"""The web layer's Flask extensions, created unbound and attached in the application factory."""

import logging
import threading
import time

from flask import Flask
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


THROTTLE_LOG = logging.getLogger("ido.throttle")
THROTTLE_WARN_EVERY = 600.0  # seconds: one line when the store goes away, again while it stays


class _StoreDownOnce(logging.Filter):
    """While the throttle store (Redis) is down, Flask-Limiter lets every request through
    (RATELIMIT_SWALLOW_ERRORS: log-ins must not fail with it) and logs a traceback each time.
    This keeps one line instead, and repeats it every ten minutes while the outage lasts."""

    def __init__(self) -> None:
        super().__init__()
        self.lock, self.last = threading.Lock(), -THROTTLE_WARN_EVERY

    def filter(self, record: logging.LogRecord) -> bool:
        if "Swallowing error" not in record.getMessage():
            return True
        with self.lock:
            now = time.monotonic()
            if now - self.last < THROTTLE_WARN_EVERY:
                return False
            self.last = now
        reason = type(record.exc_info[1]).__name__ if record.exc_info else "error"
        THROTTLE_LOG.error(
            "the throttle store cannot be reached (%s): log-ins, password changes and tablet "
            "codes are not throttled until it is back (see /healthz)",
            reason,
        )
        return False

    def recovered(self) -> None:
        """The store answers again: the next outage is logged at once."""
        self.last = -THROTTLE_WARN_EVERY


store_down = _StoreDownOnce()
logging.getLogger("flask-limiter").addFilter(store_down)


def configure_limiter(app: Flask) -> None:
    """Fail open when the store is down, with short network timeouts for a Redis store (a
    store that hangs must not hold a log-in for long)."""
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    uri = str(app.config.get("RATELIMIT_STORAGE_URI", ""))
    if uri.startswith(("redis://", "rediss://", "redis+")):
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
        )
    limiter.init_app(app)


def throttle_store_ok() -> bool:
    """Whether the throttle store answers (for /healthz)."""
    ok = bool(limiter.storage.check())
    if ok:
        store_down.recovered()
    return ok
