"""A stand-in for GOV.UK Notify's API on loopback, for the real client to talk to.

It checks each request as Notify would: a bearer JWT signed (HS256) with the API key's secret whose
`iss` is the service id and whose `iat` is recent, and a JSON body with the fields each endpoint
needs. It records what it accepted, answers with an id, and reports the delivery status a test sets.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

SERVICE_ID = "0b7a3c4e-58f2-4d4a-9d63-8f0f2b1c6a11"
SECRET = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
API_KEY = f"force-test-key-{SERVICE_ID}-{SECRET}"
REQUIRED = {"/v2/notifications/sms": "phone_number", "/v2/notifications/email": "email_address"}


@dataclass
class NotifyStub:
    url: str = ""
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    fail_next: int = 0


def _claims(header: str) -> dict[str, Any]:
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        raise ValueError("no bearer token")
    claims: dict[str, Any] = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
    if claims["iss"] != SERVICE_ID:
        raise ValueError(f"iss is {claims['iss']}, not the service id")
    if abs(time.time() - int(claims["iat"])) > 30:
        raise ValueError("iat is not recent")
    return claims


@contextmanager
def notify_server() -> Iterator[NotifyStub]:
    stub = NotifyStub()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            try:
                _claims(self.headers.get("Authorization", ""))
            except (ValueError, jwt.PyJWTError) as error:
                stub.refused.append(f"{self.path}: {error}")
                self._answer(403, {"errors": [{"error": "AuthError", "message": str(error)}], "status_code": 403})
                return False
            return True

        def do_POST(self) -> None:
            if not self._authorised():
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            needed = REQUIRED.get(self.path)
            if needed is None or not body.get(needed) or not body.get("template_id"):
                stub.refused.append(f"{self.path}: {sorted(body)}")
                self._answer(400, {"errors": [{"error": "BadRequestError", "message": "bad body"}], "status_code": 400})
                return
            if stub.fail_next:
                stub.fail_next -= 1
                self._answer(500, {"errors": [{"error": "Exception", "message": "Internal error"}], "status_code": 500})
                return
            notification_id = str(uuid.uuid4())
            stub.accepted.append({"path": self.path, "id": notification_id, **body})
            stub.statuses[notification_id] = "sending"
            self._answer(201, {"id": notification_id, "reference": body.get("reference"), "content": {}})

        def do_GET(self) -> None:
            if not self._authorised():
                return
            notification_id = self.path.rsplit("/", 1)[-1]
            if notification_id not in stub.statuses:
                self._answer(
                    404, {"errors": [{"error": "NoResultFound", "message": "No result found"}], "status_code": 404}
                )
                return
            self._answer(200, {"id": notification_id, "status": stub.statuses[notification_id]})

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
