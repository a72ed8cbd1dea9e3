"""What each simulated person does: staff sign in with their password and authenticator code, then
browse the pages of their role and now and then fill in a form; victims sign in to "Follow my case"
with their crime reference and access code, choose a secret word, then read their updates and send
a message now and then.

The servers behind are the production settings on plain HTTP over loopback, as behind the reverse
proxy: every request says it came over HTTPS (X-Forwarded-Proto) and names the force's host, and the
cookie jar sends the Secure cookies over plain HTTP. Read by Locust (`bench.loadtest.run` starts it);
the world file (`bench.loadtest.world`) is named by BLUESTONE_LOADTEST_WORLD.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

WORLD = json.loads(Path(os.environ["BLUESTONE_LOADTEST_WORLD"]).read_text())
HOST = os.environ.get("BLUESTONE_LOADTEST_HOST", "bluestone.loadtest")
PORTAL_URL = os.environ.get("BLUESTONE_LOADTEST_PORTAL", "")
# What the proxy in front would say the client used: https, as in production.
SCHEME = os.environ.get("BLUESTONE_LOADTEST_SCHEME", "https")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTP_STEP = 30


def _pause(variable: str, default: tuple[float, float]) -> tuple[float, float]:
    """The pause between one person's requests, in seconds, from "LOW,HIGH" in `variable` (the
    defaults are a person reading a page; the suite's short run uses a shorter pause, so that every
    kind of request is made within its few seconds whatever the machine's load)."""
    value = os.environ.get(variable, "")
    if not value:
        return default
    low, high = (float(part) for part in value.split(","))
    return low, high


# "0": nobody opens the Measures page (run.py's --without-measures), to see what the rest costs.
MEASURES = os.environ.get("BLUESTONE_LOADTEST_MEASURES", "1") != "0"
STAFF_PAUSE = _pause("BLUESTONE_LOADTEST_STAFF_PAUSE", (1.0, 5.0))
VICTIM_PAUSE = _pause("BLUESTONE_LOADTEST_VICTIM_PAUSE", (2.0, 8.0))


def _interleaved(staff: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The accounts with the roles taking turns, so that a few simulated people are of mixed roles too."""
    by_role: dict[str, list[dict[str, Any]]] = {}
    for account in staff:
        by_role.setdefault(account["role"], []).append(account)
    turns = itertools.zip_longest(*by_role.values())
    return [account for turn in turns for account in turn if account is not None]


STAFF = iter(_interleaved(WORLD["staff"]))
VICTIMS = iter(WORLD["victims"])


def totp_now(key_hex: str) -> str:
    """The authenticator app's six-digit code now (RFC 6238: HMAC-SHA1, 30-second steps)."""
    counter = struct.pack(">Q", int(time.time()) // TOTP_STEP)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**6:06d}"


def _secure_cookies_over_loopback(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    return True


# Send Secure cookies over the plain-HTTP loopback hop: the proxy in front would have taken HTTPS.
# requests copies the session's cookies into a fresh jar for every request (with the default policy),
# so the policy itself is changed, in this process only (Locust's).
DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_loopback  # type: ignore[method-assign]


class _Person(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers.update(
            {
                "Host": HOST,
                "X-Forwarded-Proto": SCHEME,
                "Origin": f"{SCHEME}://{HOST}",
                "Referer": f"{SCHEME}://{HOST}/",
            }
        )

    def form(self, path: str, data: dict[str, str], *, name: str) -> Any:
        """GET a page, then POST its form with the page's CSRF token; the POST's response."""
        with self.client.get(path, name=f"{name} (form)", catch_response=True) as page:
            token = CSRF.search(page.text or "")
            if token is None:
                page.failure("no CSRF token in the form")
                return None
        return self.client.post(path, data={"csrfmiddlewaretoken": token.group(1), **data}, name=name)


class Staff(_Person):
    wait_time = between(*STAFF_PAUSE)
    fixed_count = int(os.environ.get("BLUESTONE_LOADTEST_STAFF", "50"))

    def on_start(self) -> None:
        super().on_start()
        self.account = next(STAFF)
        self.role = self.account["role"]
        signed = self.form(
            "/account/sign-in/",
            {"username": self.account["username"], "password": self.account["password"]},
            name="sign in: password",
        )
        if signed is not None and "/two-factor/" in signed.url:
            self.form("/account/two-factor/", {"code": totp_now(self.account["totp_key"])}, name="sign in: code")

    def _case(self) -> str:
        return random.choice(self.account["cases"])

    @task(4)
    def case_lists(self) -> None:
        if self.role == "analyst":
            self.client.get("/analysis/cases/", name="analysis: case list")
            return
        if self.role == "investigator":
            self.client.get("/cases/mine/", name="My cases")
        self.client.get("/cases/team/", name="Team cases")
        self.client.get(
            f"/cases/team/?page={random.randint(2, 40)}&sort={random.choice(['-reported', 'crime_reference'])}",
            name="Team cases: a later page, sorted",
        )
        self.client.get("/cases/team/?status=under_investigation&offence_class=19C", name="Team cases: filtered")

    @task(6)
    def case_page(self) -> None:
        if not self.account["cases"]:
            if MEASURES:
                self.client.get("/measures/", name="Measures")
            else:
                self.client.get("/analysis/cases/", name="analysis: case list")
            return
        case = self._case()
        self.client.get(f"/cases/{case}/", name="Case: summary")
        tab = random.choice(["plan/", "victim/", "evidence/", "timeline/", "outcome/"])
        self.client.get(f"/cases/{case}/{tab}", name=f"Case: {tab.rstrip('/')}")

    @task(3)
    def queues(self) -> None:
        if self.role == "investigator":
            self.client.get("/my-work/", name="My work")
        elif self.role == "supervisor":
            self.client.get("/team-work/", name="Team work")
        else:
            self.client.get("/repeat-suspects/", name="Repeat suspects")

    @task(2)
    def search(self) -> None:
        if self.role == "analyst":
            self.client.get("/repeat-suspects/?band=high", name="Repeat suspects: filtered")
            return
        surname = random.choice(self.account["surnames"] or ["Smith"])
        self.client.get("/cases/search/", params={"q": surname}, name="Search: a surname")

    @task(1)
    def measures(self) -> None:
        if self.role != "investigator" and MEASURES:
            self.client.get("/measures/", name="Measures")

    @task(1)
    def add_line_of_enquiry(self) -> None:
        if self.role != "investigator":
            return
        case = self._case()
        plan = f"/cases/{case}/plan/"
        page = self.client.get(plan, name="Case: plan")
        if "lines/new/" not in page.text:
            token = CSRF.search(page.text or "")
            if token is None:
                return
            self.client.post(
                f"{plan}create/",
                data={"csrfmiddlewaretoken": token.group(1), "confirm": "yes"},
                name="Plan: create",
            )
        self.form(
            f"{plan}lines/new/",
            {"group": "context", "title": f"Load test enquiry {random.randint(1, 10**6)}", "intrusive_kind": "none"},
            name="Plan: add a line of enquiry",
        )


class Victim(_Person):
    wait_time = between(*VICTIM_PAUSE)
    fixed_count = int(os.environ.get("BLUESTONE_LOADTEST_VICTIMS", "20"))

    def on_start(self) -> None:
        super().on_start()
        if PORTAL_URL:  # the portal's own server, as a deployment has it (Locust's --host is the staff one)
            self.client.base_url = PORTAL_URL
        self.victim = next(VICTIMS)
        signed = self.form(
            "/portal/follow/",
            {"reference": self.victim["reference"], "code": self.victim["code"], "check": ""},
            name="portal: sign in",
        )
        if signed is not None and "/secret-word/" in signed.url:
            word = self.victim["secret_word"]
            self.form("/portal/follow/secret-word/", {"check": word, "confirm": word}, name="portal: secret word")

    @task(5)
    def updates(self) -> None:
        self.client.get("/portal/follow/updates/", name="portal: updates")

    @task(2)
    def messages(self) -> None:
        self.client.get("/portal/follow/messages/", name="portal: messages")

    @task(1)
    def send_message(self) -> None:
        self.form(
            "/portal/follow/messages/",
            {"body": "Is there any news about my case since the last update?"},
            name="portal: send a message",
        )

    @task(1)
    def start_page(self) -> None:
        self.client.get("/portal/", name="portal: start page")
