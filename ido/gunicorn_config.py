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
