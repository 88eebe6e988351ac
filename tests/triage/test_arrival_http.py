"""Triage on arrival, over HTTP against a real uvicorn, on SQLite and PostgreSQL.

A chat that smells gas must reach the queue at priority 9, ahead of callers
who came before it, with its category beside it; the desk's correction is kept
and the next training learns from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.triage import Triage, TriageModel, load_rules, read_history, train
from tests.fixtures.live_server import serving
from tests.server.hotline import Hotline, call, hotline


@pytest.fixture
def served(hotline_db: Hotline, hotline_model: TriageModel) -> Iterator[Hotline]:
    config = ServerConfig(
        clock=hotline_db.time, center=hotline, triage=Triage(load_rules(), hotline_model)
    )
    with serving(build_app(hotline_db.engine, config)) as url:
        hotline_db.url = url
        yield hotline_db


def contact(api: Hotline, contact_id: str) -> dict[str, Any]:
    found = api.as_("sue").get(f"/api/v1/contacts/{contact_id}")
    assert found.status_code == 200, found.text
    body: dict[str, Any] = found.json()
    return body


def test_a_gas_smell_chat_queues_first_at_priority_9_with_its_category(served: Hotline) -> None:
    earlier = call(served, "heating")
    with httpx.Client(base_url=served.url) as caller:
        joined = caller.post(
            "/api/v1/widget/contacts",
            json={"queue": "heating", "name": "Olena", "message": "I smell gas in the kitchen"},
        )
    assert joined.status_code == 201, joined.text
    assert joined.json()["position"] == 1  # ahead of the caller who came first
    seen = contact(served, joined.json()["contact_id"])
    assert seen["priority"] == 9 and seen["channel"] == "chat"
    attributes = seen["attributes"]
    assert attributes["triage_category"] == "gas" and attributes["triage_rule"] == "gas smell"
    assert float(attributes["triage_confidence"]) >= 0.5
    assert contact(served, earlier["contact_id"])["position"] == 2
    messages = served.as_("sue").get(f"/api/v1/contacts/{joined.json()['contact_id']}/messages")
    assert [m["body"] for m in messages.json()["messages"]] == ["I smell gas in the kitchen"]


def test_a_contact_from_an_integration_is_triaged_and_cannot_forge_a_suggestion(
    served: Hotline,
) -> None:
    made = call(
        served, "heating", channel="chat",
        attributes={"subject": "Запах газу в під'їзді", "triage_category": "billing"},
    )  # fmt: skip
    assert made["priority"] == 9
    attributes = contact(served, made["contact_id"])["attributes"]
    assert attributes["triage_category"] == "gas"
    quiet = call(served, "billing", attributes={"triage_priority": "9"})
    assert quiet["priority"] == 0
    assert "triage_priority" not in contact(served, quiet["contact_id"])["attributes"]


def test_a_new_case_gets_a_category_and_a_rule_priority(served: Hotline) -> None:
    opened = served.as_("ann").post(
        "/api/v1/cases", json={"notes": "Нет отопления, дома пожилая мама. Батареи холодные"}
    )
    assert opened.status_code == 201, opened.text
    assert (opened.json()["category"], opened.json()["priority"]) == ("heating", 5)
    kept = served.as_("ann").post("/api/v1/cases", json={"notes": "No water", "category": "misc"})
    assert kept.json()["category"] == "misc"


def test_a_correction_is_recorded_and_the_next_training_learns_from_it(
    served: Hotline, tmp_path: Any
) -> None:
    made = call(served, "billing", attributes={"message": "The tap water smells bad"})
    ann = served.as_("ann")
    corrected = ann.post(
        "/api/v1/triage/corrections", json={"contact_id": made["contact_id"], "category": "water"}
    )
    assert corrected.status_code == 201, corrected.text
    body = corrected.json()
    assert (body["text"], body["category"], body["actor"]) == (
        "The tap water smells bad", "water", "ann",
    )  # fmt: skip
    assert body["suggested"] == contact(served, made["contact_id"])["attributes"].get(
        "triage_category"
    )
    listed = served.as_("sue").get("/api/v1/triage/corrections").json()["corrections"]
    assert [c["category"] for c in listed] == ["water"]
    assert ann.get("/api/v1/triage/corrections").status_code == 403
    unknown = ann.post("/api/v1/triage/corrections", json={"contact_id": "nope", "category": "x"})
    assert unknown.status_code == 404 and unknown.json()["ok"] is False
    textless = ann.post("/api/v1/triage/corrections", json={"category": "water"})
    assert textless.status_code == 422
    blank = ann.post("/api/v1/triage/corrections", json={"text": "x", "category": "  "})
    assert blank.status_code == 422
    history = read_history(served.engine)
    assert history.corrections == 1
    assert ("The tap water smells bad", "water") in [(e.text, e.label) for e in history.examples]
    # With one more category seen once, training still runs and says so.
    ann.post("/api/v1/cases", json={"notes": "The heating is off", "category": "heating"})
    done = train(tmp_path, served.engine)
    assert (done.from_cases, done.from_corrections, done.labels) == (1, 1, 2)


def test_classify_answers_any_text_with_the_suggestion(served: Hotline) -> None:
    answer = served.as_("pbx").post("/api/v1/triage/classify", json={"text": "煤气味很重"})
    assert answer.status_code == 200
    assert answer.json()["priority"] == 9 and answer.json()["rule"] == "gas smell"
    about = served.as_("ann").get("/api/v1/triage").json()
    assert sorted(about["model"]["categories"]) == [
        "billing", "electricity", "gas", "heating", "water",
    ]  # fmt: skip
    assert served.as_("ann").post("/api/v1/triage/classify", json={"text": ""}).status_code == 422
