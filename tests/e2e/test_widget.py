"""The caller widget in Chromium: help articles, the queue with live position and wait,
a kept-place callback, a message that becomes a case, and the CSAT survey from an iframe."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import FrameLocator, Page, expect

from tests.e2e.conftest import Site
from tests.fixtures.ports import free_port

ARTICLE = {
    "title": "No heating — what to check",
    "body": "Check that the radiator valves are open.\n\nBleed a radiator that is cold at the top.",
    "category": "heating",
    "language": "en",
    "published": True,
}


@contextmanager
def hotline_page(widget_url: str) -> Iterator[str]:
    """A hotline's own page embedding the widget, served from another site (localhost, not
    127.0.0.1) on loopback, since Chromium lets no public page frame a local address."""
    html = f'<h1>Hotline</h1><iframe title="Help" width="560" height="720" src="{widget_url}">'

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def my_contact(page: Page) -> dict[str, Any]:
    stored = page.evaluate("sessionStorage.getItem('callboard.widget.contact.heating')")
    contact: dict[str, Any] = json.loads(stored)
    return contact


def test_a_caller_reads_joins_watches_the_line_and_asks_for_a_callback(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    added = site.as_("sue").post("/api/v1/kb/articles", json=ARTICLE)
    assert added.status_code == 201, added.text
    site.as_("ann").post("/api/v1/agents/ann/login", json={})
    site.call("heating")  # offered to ann, who does not answer yet
    ahead = site.call("heating")
    assert ahead["position"] == 1

    page.goto(f"{site.url}/widget?queue=heating")
    page.get_by_role("searchbox", name="Search our help articles").fill("radiator")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=ARTICLE["title"]).click()
    expect(page.locator("#kb-article")).to_contain_text("Bleed a radiator")
    expect(page.get_by_role("button", name="This answered my question")).to_be_visible()
    shot(page, "article")

    page.get_by_role("button", name="I still need to talk to someone").click()
    page.get_by_label("Your name (optional)").fill("Olena")
    page.get_by_label("Phone number (optional)").fill("+380 50 111 22 33")
    page.get_by_role("button", name="Start a chat").click()
    position = page.locator("#position")
    expect(position).to_have_text("2")
    expect(page.locator("#ewt")).to_have_text(re.compile(r"about \d+ min|under a minute"))
    shot(page, "waiting")
    cancelled = site.as_("pbx").post(f"/api/v1/contacts/{ahead['contact_id']}/cancel")
    assert cancelled.status_code == 200
    expect(position).to_have_text("1")  # live: the caller ahead gave up

    page.get_by_role("button", name="Call me back instead").click()
    expect(page.locator("#wait-state")).to_have_text(
        "We will call you back. Your place in line is kept."
    )
    shot(page, "callback")
    contact = site.as_("pbx").get(f"/api/v1/contacts/{my_contact(page)['contact_id']}").json()
    assert (
        contact["callback"] is True and contact["position"] == 1 and contact["state"] == "waiting"
    )
    waiting = site.as_("ann").get("/api/v1/agents/ann/callbacks").json()["callbacks"]
    assert [(c["caller"], c["name"]) for c in waiting] == [("+380 50 111 22 33", "Olena")]
    # The caller read an article and still joined: the knowledge base counts an escalation.
    stats = site.as_("sue").get("/api/v1/kb/stats").json()["total"]
    assert (stats["views"], stats["escalated"], stats["deflected"]) == (1, 1, 0)


def test_a_message_becomes_a_case(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{site.url}/widget?queue=heating")
    page.get_by_role("button", name="I still need to talk to someone").click()
    page.get_by_label("Your name (optional)").fill("Petro")
    page.get_by_role("button", name="Start a chat").click()
    expect(page.locator("#position")).to_have_text("1")
    expect(page.get_by_role("button", name="Call me back instead")).to_be_disabled()
    page.get_by_role("button", name="Leave a message").click()
    page.get_by_label("Your message").fill("The boiler shows error E10")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#done-text")).to_contain_text("case #1")
    shot(page, "message")
    case = site.as_("sue").get("/api/v1/cases/1").json()
    assert case["notes"] == "Petro: The boiler shows error E10" and case["queue"] == "heating"


def test_csat_after_an_agent_completes_the_chat_inside_an_iframe(
    site: Site, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    ann = site.as_("ann")
    ann.post("/api/v1/agents/ann/login", json={})
    with hotline_page(f"{site.url}/widget?queue=heating&lang=en") as hotline_site:
        page.goto(hotline_site)
    widget: FrameLocator = page.frame_locator("iframe")
    widget.get_by_role("button", name="I still need to talk to someone").click()
    widget.get_by_label("Phone number (optional)").fill("+380441234567")
    widget.get_by_role("button", name="Start a chat").click()
    state = widget.locator("#wait-state")
    expect(state).to_have_text("An agent is picking up…")
    offered = ann.get("/api/v1/agents/ann/contacts").json()["contacts"]
    assert [c["caller"] for c in offered] == ["+380441234567"]
    contact_id = offered[0]["contact_id"]
    assert ann.post(f"/api/v1/agents/ann/offers/{contact_id}/accept").status_code == 200
    expect(state).to_have_text("An agent is with you now.")
    case = ann.post(
        "/api/v1/cases",
        json={"queue": "heating", "category": "no_heat", "contact_ids": [contact_id]},
    ).json()
    ann.patch(f"/api/v1/cases/{case['id']}", json={"status": "resolved", "outcome": "answered"})
    ann.post(f"/api/v1/agents/ann/contacts/{contact_id}/complete", json={"acw_s": 0})

    expect(widget.get_by_role("heading", name="Thank you for contacting us")).to_be_visible()
    widget.get_by_label("4").check()
    widget.get_by_label("Comment (optional)").fill("Quick and kind")
    shot(page, "survey")
    widget.get_by_role("button", name="Send rating").click()
    expect(widget.locator("#done-text")).to_have_text("Thank you for your rating!")
    rated = site.as_("sue").get(f"/api/v1/cases/{case['id']}").json()
    assert rated["csat_score"] == 4 and rated["csat_comment"] == "Quick and kind"


def test_the_widget_speaks_the_callers_language_and_keeps_its_queue_on_a_switch(
    site: Site, new_page: Callable[..., Page], shot: Callable[[Page, str], Path]
) -> None:
    page = new_page(locale="uk-UA")
    page.goto(f"{site.url}/widget?queue=billing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Чим ми можемо допомогти?")
    page.get_by_label("Мова").select_option("ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Чем мы можем помочь?")
    assert "queue=billing" in page.url
    page.get_by_role("button", name="Мне всё же нужен оператор").click()
    page.get_by_role("button", name="Начать чат").click()
    expect(page.locator("#position")).to_have_text("1")
    expect(page.locator("#ewt")).to_have_text("пока неизвестно")  # nobody serves billing yet
    shot(page, "russian")
