"""gunicorn's settings for `make serve`, the production server.

    gunicorn --config python:ido.gunicorn_config 'ido:create_app()'

Each setting can be changed by an environment variable (below) or by gunicorn's own options
after the --config option. Send the master process SIGHUP (`systemctl reload ido`) to load new
code and configuration gracefully: new workers start, old ones finish their requests first.
"""

import multiprocessing
import os

bind = os.environ.get("IDO_BIND", "127.0.0.1:8000")
# Threaded workers: a long download (a year's raw CSV) holds one thread, not a whole worker,
# so the desks keep saving while exports run.
worker_class = "gthread"
workers = int(os.environ.get("IDO_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("IDO_THREADS", "4"))
# A threaded worker reports alive while its threads work, so this only stops a worker that
# hangs; the largest export (1,000,000 rows of raw CSV, some 8 s) fits many times over.
timeout = int(os.environ.get("IDO_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# The app writes one line per request itself (method, route, status, duration, user), to
# stderr: gunicorn's access log would repeat it with the full path, and a path can hold a
# secret (the one-time password link).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("IDO_GUNICORN_LOG_LEVEL", "info")
# Behind a reverse proxy on the same host; set IDO_PROXY_COUNT=1 in the app's config as well.
forwarded_allow_ips = os.environ.get("IDO_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The worker's heartbeat file in memory, not on disk (gunicorn's advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# IDO_PRELOAD=1: the app is made once, in the master, before the workers are forked, and they
# share its objects (copy-on-write) instead of each building its own. Off by default: it saves
# only 2-4 MiB per idle worker (the master has imported the app's modules already, for
# on_starting, so the workers share those either way; docs/performance.md), and with it a
# graceful reload (SIGHUP, `systemctl reload ido`) no longer loads new code, only a restart does.
# Making the app opens no database connection and starts no thread a worker needs; post_fork
# drops any pooled connection all the same, and each worker fills its own caches.
preload_app = os.environ.get("IDO_PRELOAD", "0") == "1"

PER_PROCESS_OK = "IDO_THROTTLE_PER_PROCESS"  # "accept": start anyway, with a warning


def on_starting(server) -> None:
    """Refuse to start several workers that each keep their own count of failed log-ins.

    With the default `memory://` throttle store every worker counts on its own, so every
    documented limit (5 wrong passwords a minute per account, 10 wrong tablet codes) is
    multiplied by the number of workers. Set RATELIMIT_STORAGE_URI to a shared store
    (redis://...), run one worker (IDO_WORKERS=1), or accept it with
    IDO_THROTTLE_PER_PROCESS=accept (a warning at every start)."""
    from ido import create_app

    storage = str(create_app().config["RATELIMIT_STORAGE_URI"])
    workers = server.cfg.workers
    if not storage.startswith("memory://") or workers <= 1:
        return
    message = (
        f"the log-in throttle counts per process (RATELIMIT_STORAGE_URI={storage}) and "
        f"{workers} workers would each count on their own: every limit is {workers} times "
        "what is documented. Set RATELIMIT_STORAGE_URI to a shared store (redis://...), or "
        f"IDO_WORKERS=1, or {PER_PROCESS_OK}=accept to start anyway."
    )
    if os.environ.get(PER_PROCESS_OK) == "accept":
        server.log.warning("Warning: %s", message)
        return
    server.log.error("Refusing to start: %s", message)
    raise SystemExit(1)


def post_fork(server, worker) -> None:
    """A new worker drops the database connections it inherited from the master (a connection
    must never be shared between processes); it opens its own when it first needs one."""
    app = getattr(worker.app, "callable", None)  # the preloaded app, if any
    if app is None:
        return
    from ido.core.db import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


# gunicorn reads less than this much of a body the app left unread (a 413 reads none) before
# the next request on the connection; at it, it closes the connection.
DRAIN_LIMIT = 64 * 1024


def pre_request(worker, req) -> None:
    """A body too large to be drained is answered with `Connection: close`: the client then
    opens a new connection for its next request, instead of finding this one closed after
    being told it stays open (a 413 for a body over MAX_CONTENT_LENGTH, say)."""
    worker.log.debug("%s %s", req.method, req.path)
    for name, value in req.headers:
        too_long = name == "CONTENT-LENGTH" and (not value.isdecimal() or int(value) >= DRAIN_LIMIT)
        # a chunked body's length is unknown until it is read: the app may not read it all
        if too_long or name == "TRANSFER-ENCODING":
            req.must_close = True
