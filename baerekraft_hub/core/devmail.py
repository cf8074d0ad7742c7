"""A real local SMTP server (aiosmtpd) that keeps what it receives in a folder."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from aiosmtpd.controller import Controller


class MailboxHandler:
    """Stores every accepted message as an .eml file, named in arrival order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        existing = len(list(self.folder.glob("*.eml")))
        (self.folder / f"{existing + 1:06d}.eml").write_bytes(envelope.original_content)
        return "250 Message accepted for delivery"


def start_smtp_server(instance_path: str, port: int = 8025) -> Controller:
    """Start the server on 127.0.0.1:`port` in a thread; messages go to instance/mailbox."""
    controller = Controller(
        MailboxHandler(Path(instance_path) / "mailbox"), hostname="127.0.0.1", port=port
    )
    controller.start()
    return controller


def read_mailbox(instance_path: str) -> list[email.message.EmailMessage]:
    """Every message the local server has received, oldest first."""
    folder = Path(instance_path) / "mailbox"
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]
