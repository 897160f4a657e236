"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`. Everything from the environment."""

import gc
import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

# gunicorn reads this file before it changes to `--chdir`: make the project importable from it.
PROJECT = str(Path(__file__).resolve().parents[1])
if PROJECT not in sys.path:
    sys.path.insert(0, PROJECT)

from config.log_filters import RedactPersonalData  # noqa: E402

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Worker processes per app server: WEB_CONCURRENCY, else 2 × cores + 1 (gunicorn's advice for sync workers).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# A worker is replaced after this many requests, so memory cannot creep up over weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the app before forking: workers share its memory pages, and a broken deploy fails at once.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# gunicorn's default line without the query string and the referrer, which carry searches by citizen
# ID or phone (`/members/?q=038158000123`): the method, the path and the protocol instead of `%(r)s`.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class RedactingLogger(Logger):
    """gunicorn's logger, its access and error lines written through the filter the app's own log
    handlers use (config/log_filters.py), whatever the line format or where the lines go."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactPersonalData) for f in log.filters):
                log.addFilter(RedactPersonalData())


logger_class = RedactingLogger


def pre_fork(server, worker):
    """Before a worker is forked from the preloaded app: the objects loaded so far (Django, the code, the
    URL patterns: some 143,000) are set aside from the garbage collector (gc.freeze), so that a worker's full
    collections do not walk them (45 ms each, measured) nor write into the memory pages the workers share."""
    gc.freeze()
