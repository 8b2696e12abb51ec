"""The cluster test's mail server: accepts every message and appends one JSON line per message
(Message-ID, recipients, subject) to a file. aiosmtpd, on the mail host's address."""

from __future__ import annotations

import json
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        line = {
            "message_id": message.get("Message-ID", ""),
            "to": list(envelope.rcpt_tos),
            "subject": str(make_header(decode_header(message.get("Subject", "")))),
        }
        with self.lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return "250 OK"


def main() -> None:
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    controller = Controller(Sink(path), hostname=host, port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
