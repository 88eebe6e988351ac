"""Bad input answers a 4xx in the one error shape, on SQLite and PostgreSQL: ids past
PostgreSQL's integer, nulls for fields every case has, NUL characters, LIKE
wildcards, and bodies over the 1 MB limit (also on the decision lane's routes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from callboard.server.inputs import MAX_ID
from callboard.server.request_limits import MAX_BODY_BYTES
from tests.server.hotline import Hotline


def refused(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def test_ids_and_offsets_past_the_declared_range_are_422_not_500(api: Hotline) -> None:
    sue = api.as_("sue")
    anonymous = httpx.Client(base_url=api.url)
    refused(anonymous.get(f"/api/v1/kb/public/articles/{MAX_ID + 1}"), 422)
    refused(anonymous.get(f"/api/v1/kb/public/articles/{MAX_ID}"), 404)
    refused(anonymous.get(f"/api/v1/kb/public/articles/{2**64}"), 422)
    deflection = {"session": "s-1", "article_id": MAX_ID + 1}
    refused(anonymous.post("/api/v1/kb/public/deflections", json=deflection), 422)
    refused(sue.get(f"/api/v1/cases/{MAX_ID + 1}"), 422)
    refused(sue.get(f"/api/v1/cases/{MAX_ID}"), 404)
    refused(sue.get("/api/v1/cases/0"), 422)
    refused(sue.get("/api/v1/cases", params={"offset": MAX_ID + 1}), 422)
    assert sue.get("/api/v1/cases", params={"offset": MAX_ID}).json()["cases"] == []
    refused(sue.post(f"/api/v1/surge/recommendations/{MAX_ID + 1}/confirm"), 422)


def test_a_case_change_may_leave_out_status_and_priority_but_not_null_them(api: Hotline) -> None:
    sue = api.as_("sue")
    case = sue.post("/api/v1/cases", json={"caller": "+380441234567", "priority": 3}).json()
    for field in ("status", "priority"):
        body = refused(sue.patch(f"/api/v1/cases/{case['id']}", json={field: None}), 422)
        assert body["errors"][0]["loc"] == f"body.{field}"
    unchanged = sue.get(f"/api/v1/cases/{case['id']}").json()
    assert unchanged["status"] == case["status"] and unchanged["priority"] == 3
    cleared = sue.patch(f"/api/v1/cases/{case['id']}", json={"caller": None, "priority": 4})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["caller"] is None and cleared.json()["priority"] == 4


def test_nul_is_refused_in_bodies_paths_and_queries(api: Hotline) -> None:
    sue, pbx = api.as_("sue"), api.as_("pbx")
    body = refused(sue.post("/api/v1/cases", json={"notes": "a\x00b"}), 422)
    assert body["errors"][0]["loc"] == "body.notes"
    refused(sue.get("/api/v1/cases", params={"text": "a\x00b"}), 422)
    refused(sue.get("/api/v1/contacts/a%00b"), 422)
    # The decision lane's routes: their bodies, and a path it would resolve itself.
    refused(pbx.post("/api/v1/contacts", json={"queue": "heating\x00"}), 422)
    nul_attribute = {"queue": "heating", "attributes": {"k": "\x00"}}
    refused(pbx.post("/api/v1/contacts", json=nul_attribute), 422)
    refused(pbx.post("/api/v1/telephony/route", json={"call_id": "\x00", "queue": "heating"}), 422)
    refused(sue.post("/api/v1/agents/ann/offers/c%00/accept"), 422)
    join = {"queue": "heating", "name": "Ann\x00"}
    refused(httpx.post(f"{api.url}/api/v1/widget/contacts", json=join), 422)
    assert sue.get("/api/v1/cases").json()["cases"] == []  # nothing was written


def test_case_search_matches_percent_underscore_and_the_escape_literally(api: Hotline) -> None:
    sue = api.as_("sue")
    notes = ["100% sure", "snake_case", "either/or", "plain words"]
    ids = {note: sue.post("/api/v1/cases", json={"notes": note}).json()["id"] for note in notes}

    def found(text: str) -> set[int]:
        response = sue.get("/api/v1/cases", params={"text": text})
        assert response.status_code == 200, response.text
        return {case["id"] for case in response.json()["cases"]}

    assert found("%") == {ids["100% sure"]}
    assert found("_") == {ids["snake_case"]}
    assert found("/") == {ids["either/or"]}
    assert found("0% S") == {ids["100% sure"]}  # still a case-blind substring search
    assert found("%%") == set()


@pytest.fixture
def huge() -> Iterator[bytes]:
    yield b'{"notes": "' + b"x" * MAX_BODY_BYTES + b'"}'


def _chunks(body: bytes) -> Iterator[bytes]:
    """A body with no Content-Length: httpx sends an iterator chunked."""
    for start in range(0, len(body), 64 * 1024):
        yield body[start : start + 64 * 1024]


def test_bodies_over_a_megabyte_are_413_declared_or_streamed(api: Hotline, huge: bytes) -> None:
    sue, pbx = api.as_("sue"), api.as_("pbx")
    json_type = {"Content-Type": "application/json"}
    for client, path in ((sue, "/api/v1/cases"), (pbx, "/api/v1/contacts")):  # FastAPI, lane
        declared = client.post(path, content=huge, headers=json_type)
        assert "1,000,000 bytes" in refused(declared, 413)["error"]
        refused(client.post(path, content=_chunks(huge), headers=json_type), 413)
    anonymous = httpx.post(f"{api.url}/api/v1/widget/contacts", content=_chunks(huge))
    refused(anonymous, 413)
    # Under the limit, a body reaches validation (notes are at most 20,000 characters).
    almost = b'{"notes": "' + b"x" * (MAX_BODY_BYTES - 100) + b'"}'
    refused(sue.post("/api/v1/cases", content=_chunks(almost), headers=json_type), 422)
    created = sue.post("/api/v1/cases", content=_chunks(b'{"notes": "ok"}'), headers=json_type)
    assert created.status_code == 201, created.text
