"""`make run`: a local SMTP server and the web app in one process, for development only."""

from __future__ import annotations

import argparse

from baerekraft_hub import create_app
from baerekraft_hub.core.devmail import start_smtp_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--smtp-port", type=int, default=8025)
    args = parser.parse_args()

    app = create_app("development", {"MAIL_PORT": args.smtp_port})
    smtp = start_smtp_server(app.instance_path, port=args.smtp_port)
    print(f" * Local SMTP server on 127.0.0.1:{args.smtp_port}, mail kept in instance/mailbox")
    try:
        app.run(host="127.0.0.1", port=args.port, debug=False, use_reloader=False, threaded=True)
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
