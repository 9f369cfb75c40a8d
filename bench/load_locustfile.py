"""The users of the web-tier load test (bench/load.py runs this file with locust, headless).

Four kinds of user, all through pages (URLs), never through egov's internals, so
the same file drives today's code and tomorrow's:

* ``Browser``: a citizen browsing the service hall: home page, catalogue
  (paged, searched), an item's guide (办事指南);
* ``Applicant``: the demo citizen signs in, applies online through the real
  form with a PDF material for every material of the item, and checks progress
  (我的办件, the case page);
* ``Clerk``: a demo clerk signs in, opens the queue (/approvals/), filters it
  by light and status, pages it, opens a case, and accepts (受理) one of the
  applications filed during this run;
* ``Bare``: ``/healthz``, a Django view that touches no database: the
  baseline of the same server in the same run.

Settings come from the environment bench/load.py sets: ``LOAD_DEPARTMENT``
(the department whose items are applied for), ``LOAD_CLERKS`` (comma-separated
staff usernames), ``LOAD_CITIZEN``, ``LOAD_PASSWORD``.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import os
import random
import re
from typing import Any

from gevent.lock import Semaphore
from locust import HttpUser, between, events, task
from locust.env import Environment

from egov.core.identifiers import resident_id_with_check_digit

DEPARTMENT = os.environ.get("LOAD_DEPARTMENT", "230102-SCJG")
CLERKS = os.environ.get("LOAD_CLERKS", "clerk_daoli").split(",")
CITIZEN = os.environ.get("LOAD_CITIZEN", "citizen_demo")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Longjiang-demo-2026")
# The demo citizen's form values (egov.approvals.demo_cases), its identifier with check digit.
CITIZEN_FORM = {
    "applicant_name": "张晓明",
    "phone": "13904510001",
    "region": "230102",
    "address": "哈尔滨市道里区中央大街 88 号",
    "resident_id": resident_id_with_check_digit("23010219750312002"),
}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GUIDE_LINK = re.compile(r'href="/approvals/items/([^/"]+)/"')
CASE_LINK = re.compile(r'href="/approvals/cases/([^/"]+)/"')
FIELD = re.compile(r'<(input|select|textarea) id="f-([^"]+)" name="([^"]+)"')
DATE_INPUT = re.compile(r'<input type="date" id="f-[^"]+" name="([^"]+)"')
FILE_INPUT = re.compile(r'<input type="file" id="m-[^"]+" name="([^"]+)"')
OPTION = re.compile(r"<option(?: value=\"([^\"]*)\")?[^>]*>([^<]*)</option>")

# Applications filed in this run, waiting for a clerk to accept them (one locust process).
filed: collections.deque[str] = collections.deque(maxlen=10_000)
citizen_items: list[str] = []
discovery = Semaphore()  # gevent's: one applicant discovers the items, the others wait
MAX_DISCOVERED = 3


def material_pdf() -> bytes:
    """A one-page PDF, as an applicant would scan a material."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 760, "load test material")
    page.showPage()
    page.save()
    return buffer.getvalue()


PDF = material_pdf()


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def sign_in(user: HttpUser, path: str, username: str) -> None:
    """Sign in through the login form (staff at /login/, the public at /account/login/)."""
    page = user.client.get(path, name=f"{path} (form)")
    user.client.post(
        path,
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": username,
            "password": PASSWORD,
        },
        name=f"{path} (sign in)",
    )


def form_values(html: str) -> dict[str, str]:
    """Values for every field of an item's application form: the demo citizen's where known."""
    values: dict[str, str] = {}
    form = html[html.find('enctype="multipart/form-data"') :]
    for tag, _id, name in FIELD.findall(form):
        if name in CITIZEN_FORM:
            values[name] = CITIZEN_FORM[name]
        elif tag == "select":
            start = form.find(f'name="{name}"')
            options = OPTION.findall(form[start : form.find("</select>", start)])
            chosen = next(((v or text) for v, text in options if (v or text)), "")
            values[name] = chosen
        else:
            values[name] = "负载测试"
    for name in DATE_INPUT.findall(form):
        # The form asks for a date (e.g. of a planned event): the load machine's today.
        values[name] = dt.date.today().isoformat()
    return values


def discover_citizen_items(user: HttpUser) -> None:
    """The department's items a citizen applies for (their form asks for a resident ID).

    The first applicant looks (up to MAX_DISCOVERED items) while the others wait.
    """
    with discovery:
        if citizen_items:
            return
        page = user.client.get(f"/approvals/items/?department={DEPARTMENT}", name="catalogue")
        for code in dict.fromkeys(GUIDE_LINK.findall(page.text)):
            guide = user.client.get(f"/approvals/items/{code}/", name="guide")
            if 'name="resident_id"' in guide.text:
                citizen_items.append(code)
            if len(citizen_items) >= MAX_DISCOVERED:
                return


class Browser(HttpUser):
    """A citizen browsing the service hall, not signed in."""

    weight = 4
    wait_time = between(1, 3)

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def catalogue(self) -> None:
        page = random.choice(["", "?page=2", "?q=%E8%AE%B8%E5%8F%AF", f"?department={DEPARTMENT}"])
        response = self.client.get(f"/approvals/items/{page}", name="catalogue")
        codes = GUIDE_LINK.findall(response.text)
        if codes:
            self.client.get(f"/approvals/items/{random.choice(codes)}/", name="guide")


class Applicant(HttpUser):
    """The demo citizen: applies online and checks progress."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self) -> None:
        sign_in(self, "/account/login/", CITIZEN)
        discover_citizen_items(self)
        self.mine: list[str] = []
        self.apply()  # what the applicant came for

    @task(2)
    def apply(self) -> None:
        if not citizen_items:
            return
        code = random.choice(citizen_items)
        guide = self.client.get(f"/approvals/items/{code}/", name="guide")
        files = [
            (name, ("material.pdf", PDF, "application/pdf"))
            for name in FILE_INPUT.findall(guide.text)
        ]
        data: dict[str, Any] = {
            "csrfmiddlewaretoken": csrf_token(guide.text),
            **form_values(guide.text),
        }
        with self.client.post(
            f"/approvals/items/{code}/apply/",
            data=data,
            files=files,
            name="apply",
            catch_response=True,
        ) as response:
            number = CASE_PATH.search(response.url or "")
            if response.ok and number:
                self.mine.append(number.group(1))
                filed.append(number.group(1))
                response.success()
            else:
                response.failure(f"not filed: {response.status_code} {response.url}")

    @task(2)
    def progress(self) -> None:
        self.client.get("/approvals/mine/", name="my cases")
        if self.mine:
            self.client.get(
                f"/approvals/cases/{random.choice(self.mine)}/", name="case (applicant)"
            )


CASE_PATH = re.compile(r"/approvals/cases/([^/]+)/$")


class Clerk(HttpUser):
    """A department clerk working the queue."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        sign_in(self, "/login/", random.choice(CLERKS))

    @task(4)
    def queue(self) -> None:
        response = self.client.get("/approvals/", name="queue")
        numbers = CASE_LINK.findall(response.text)
        if numbers:
            self.client.get(f"/approvals/cases/{random.choice(numbers)}/", name="case (clerk)")

    @task(2)
    def queue_filtered(self) -> None:
        query = random.choice(["light=red", "light=yellow", "status=accepted", "status=submitted"])
        self.client.get(f"/approvals/?{query}", name="queue (filtered)")

    @task(1)
    def queue_page(self) -> None:
        self.client.get(f"/approvals/?page={random.randint(2, 20)}", name="queue (page 2-20)")

    @task(1)
    def accept(self) -> None:
        try:
            number = filed.popleft()
        except IndexError:
            return
        case = self.client.get(f"/approvals/cases/{number}/", name="case (clerk)")
        self.client.post(
            f"/approvals/cases/{number}/accept/",
            data={"csrfmiddlewaretoken": csrf_token(case.text), "note": "材料齐全，予以受理"},
            name="accept",
        )


class Bare(HttpUser):
    """The baseline: a bare Django view of the same server (/healthz, no database)."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="bare view (/healthz)")


@events.test_stop.add_listener
def report_filed(environment: Environment, **_kwargs: Any) -> None:
    print(f"load: {len(filed)} filed applications were left unaccepted")
