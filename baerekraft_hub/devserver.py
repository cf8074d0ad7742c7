"""`make run`: a local SMTP server, the worker and the web app in one process, for development."""

from __future__ import annotations

import argparse
import threading

from baerekraft_hub import create_app
from baerekraft_hub.core.devmail import start_smtp_server
from baerekraft_hub.core.worker import run_worker
from config import remember_dev_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--smtp-port", type=int, default=8025)
    args = parser.parse_args()

    ours = {"MAIL_PORT": args.smtp_port, "PUBLIC_URL": f"http://127.0.0.1:{args.port}"}
    app = create_app("development", ours)
    remember_dev_server(app.instance_path, ours)  # so `flask …` commands agree with us
    smtp = start_smtp_server(app.instance_path, port=args.smtp_port)
    print(f" * Local SMTP server on 127.0.0.1:{args.smtp_port}, mail kept in instance/mailbox")
    print(f" * Received emails: http://127.0.0.1:{args.port}/dev/epost/")
    stop = threading.Event()
    # The worker delivers the email the requests queue (as `flask worker` does).
    worker = threading.Thread(target=run_worker, args=(app,), kwargs={"stop": stop}, daemon=True)
    worker.start()
    print(" * Worker running (email delivery)")
    try:
        app.run(host="127.0.0.1", port=args.port, debug=False, use_reloader=False, threaded=True)
    finally:
        stop.set()
        worker.join(timeout=5)
        smtp.stop()


if __name__ == "__main__":
    main()
