"""gunicorn settings for Prometheus's multiprocess mode: `gunicorn -c config/gunicorn.py wsgi:app`.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there and /metrics
adds them up. The folder is emptied when gunicorn starts (old workers' files would count
again), and a worker's gauges are dropped when it exits.
"""

import os
import shutil
from pathlib import Path


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
