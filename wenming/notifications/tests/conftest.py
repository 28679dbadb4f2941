import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class RobotServer:
    """A real HTTP server on 127.0.0.1 playing a group robot: records each request, answers from a script."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                robot.requests.append({"path": self.path, "headers": dict(self.headers), "raw": raw,
                                       "json": json.loads(raw.decode("utf-8"))})
                status, body = robot.replies.pop(0) if robot.replies else (200, {"errcode": 0, "errmsg": "ok"})
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    with RobotServer() as server:
        yield server


@pytest.fixture
def with_email(cast):
    for name in ("office", "leader", "liaison_a", "staff_a", "liaison_b"):
        user = cast[name]
        user.email = f"{user.username}@court.example"
        user.save(update_fields=["email"])
    return cast
