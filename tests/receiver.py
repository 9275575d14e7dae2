"""A real local HTTP server that plays a webhook receiver in tests."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    """Answers with the statuses in `script` in turn (then 200), and records every request."""

    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    delay_seconds: float = 0.0
    server: ThreadingHTTPServer | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    started: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def successes(self) -> list[Received]:
        return [r for r in self.received if r.headers.get("x-answered") == "200"]

    def verify(self, secret: str, item: Received) -> Any:
        return Webhook(secret).verify(item.body, item.headers)


def start_receiver(receiver: WebhookReceiver) -> Iterator[WebhookReceiver]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.started.set()
            if receiver.delay_seconds:
                threading.Event().wait(receiver.delay_seconds)
            with lock:
                status = receiver.script.pop(0) if receiver.script else 200
                headers = {k.lower(): v for k, v in self.headers.items()}
                headers["x-answered"] = str(status)
                receiver.received.append(Received(self.path, headers, body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            receiver.arrived.set()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
