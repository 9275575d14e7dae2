"""Real local HTTP servers that play webhook receivers in tests: a scripted one, and one that
trickles its answer a header line at a time."""

import threading
import time
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
    # Sent as `Location` with a 3xx; a GET (what a client following the redirect sends) is
    # recorded and answered 200.
    location: str = ""
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
            if 300 <= status < 400 and receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            receiver.arrived.set()

        def do_GET(self) -> None:
            with lock:
                headers = {k.lower(): v for k, v in self.headers.items()}
                headers["x-answered"] = "200"
                headers["x-method"] = "GET"
                receiver.received.append(Received(self.path, headers, b""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

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


@dataclass
class TricklingReceiver:
    """Answers `200 OK` at once, then one header line every `interval` seconds for `seconds`
    seconds before ending the headers: every read finishes well within a socket timeout, and
    the answer as a whole takes `seconds`."""

    interval: float = 0.5
    seconds: float = 8.0
    requests: int = 0
    completed: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"


def start_trickling_receiver(receiver: TricklingReceiver) -> Iterator[TricklingReceiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests += 1
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                self.wfile.flush()
                ends = time.monotonic() + receiver.seconds
                line = 0
                while time.monotonic() < ends:
                    time.sleep(receiver.interval)
                    line += 1
                    self.wfile.write(f"X-Still-Thinking-{line}: yes\r\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"Content-Length: 0\r\n\r\n")
                self.wfile.flush()
                receiver.completed += 1
            except OSError:
                pass  # the client hung up

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
