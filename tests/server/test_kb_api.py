"""The knowledge-base API over HTTP on SQLite and PostgreSQL: agents and supervisors with
tokens, the anonymous caller widget without, and the deflection statistics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from callboard.store.kb import KnowledgeBase
from callboard.store.kb_file import read_articles
from tests.server.hotline import Hotline
from tests.store.test_kb import SEED

ARTICLE = {"title": "Wrong PIN three times", "body": "Three wrong PINs lock a card until midnight.",
           "category": "cards", "language": "en", "published": True}  # fmt: skip


@pytest.fixture
def kb_api(hotline_db: Hotline) -> Iterator[Hotline]:
    kb = KnowledgeBase(hotline_db.engine, hotline_db.time)
    for draft in read_articles(SEED).drafts:
        kb.save(draft, "seed")
    with hotline_db.serve() as url:
        hotline_db.url = url
        yield hotline_db


def as_(api: Hotline, user: str | None) -> httpx.Client:
    """A client, anonymous without `user`, with no timeout: a loaded machine is slow, not wrong."""
    headers = {} if user is None else {"Authorization": f"Bearer {api.tokens[user]}"}
    return httpx.Client(base_url=api.url, headers=headers, timeout=None)


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status
    return body


def test_a_supervisor_writes_and_an_agent_finds_the_article(kb_api: Hotline) -> None:
    sue, ann = as_(kb_api, "sue"), as_(kb_api, "ann")
    created = sue.post("/api/v1/kb/articles", json=ARTICLE)
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["updated_by"] == "sue" and article["published"] is True
    found = ann.get("/api/v1/kb/articles", params={"q": "wrong PIN", "lang": "en"}).json()
    first = found["articles"][0]
    assert first["article_id"] == article["article_id"]
    assert set(first) >= {"article_id", "title", "category", "language", "snippet", "score",
                          "updated_at"}  # fmt: skip
    assert isinstance(first["score"], float) and first["updated_at"].startswith("2026-11-23T08")
    read = ann.get(f"/api/v1/kb/articles/{article['article_id']}").json()
    assert read["body"] == ARTICLE["body"] and read["updated_by"] == "sue"
    kb_api.time.now += timedelta(minutes=10)
    changed = sue.put(f"/api/v1/kb/articles/{article['article_id']}",
                      json={**ARTICLE, "body": "Now two.", "published": False})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["body"] == "Now two."
    # Drafts are the supervisors' business: agents neither find nor open them.
    _error(ann.get(f"/api/v1/kb/articles/{article['article_id']}"), 404)
    assert sue.get(f"/api/v1/kb/articles/{article['article_id']}").json()["published"] is False
    newest = sue.get("/api/v1/kb/articles", params={"lang": "en", "limit": 1}).json()
    assert newest["articles"][0]["article_id"] == article["article_id"]


def test_chinese_and_russian_search_over_http(kb_api: Hotline) -> None:
    ann = as_(kb_api, "ann")
    zh = ann.get("/api/v1/kb/articles", params={"q": "卡被冻结了怎么办", "lang": "zh"}).json()
    assert zh["articles"][0]["title"] == "银行卡被冻结"
    ru = ann.get("/api/v1/kb/articles", params={"q": "пахнет газом", "lang": "ru"}).json()
    assert ru["articles"][0]["title"] == "Запах газа — немедленно звоните 104"


def test_roles_and_tokens(kb_api: Hotline) -> None:
    anonymous, pbx, ann = as_(kb_api, None), as_(kb_api, "pbx"), as_(kb_api, "ann")
    _error(anonymous.get("/api/v1/kb/articles"), 401)
    _error(pbx.get("/api/v1/kb/articles"), 403)
    _error(ann.post("/api/v1/kb/articles", json=ARTICLE), 403)
    _error(ann.put("/api/v1/kb/articles/1", json=ARTICLE), 403)
    _error(ann.get("/api/v1/kb/stats"), 403)
    _error(anonymous.get("/api/v1/kb/stats"), 401)


def test_bad_articles_are_refused_with_each_field_named(kb_api: Hotline) -> None:
    sue = as_(kb_api, "sue")
    bad = _error(sue.post("/api/v1/kb/articles",
                          json={**ARTICLE, "title": " ", "language": "de"}), 422)  # fmt: skip
    assert [e["loc"] for e in bad["errors"]] == ["body.title", "body.language"]
    assert "language: must be one of en, ru, uk, zh" in bad["error"]
    too_long = _error(sue.post("/api/v1/kb/articles", json={**ARTICLE, "body": "x" * 20_001}), 422)
    assert "body: is 20001 characters; at most 20000" in too_long["error"]
    missing = _error(sue.post("/api/v1/kb/articles", json={"title": "t"}), 422)
    assert "body.body" in missing["error"]
    assert sue.post("/api/v1/kb/articles", json=ARTICLE).status_code == 201
    taken = _error(sue.post("/api/v1/kb/articles", json=ARTICLE), 409)
    assert "already has the title" in taken["error"]
    _error(sue.put("/api/v1/kb/articles/9999", json=ARTICLE), 404)
    assert "lang must be one of" in _error(sue.get("/api/v1/kb/articles?lang=fr"), 422)["error"]
    _error(sue.get("/api/v1/kb/articles", params={"q": "x" * 201}), 422)


def test_the_widget_counts_searches_views_and_deflections(kb_api: Hotline) -> None:
    widget = as_(kb_api, None)
    found = widget.get("/api/v1/kb/public/articles",
                       params={"q": "没有暖气", "lang": "zh", "session": "w-1"})  # fmt: skip
    assert found.status_code == 200
    article = found.json()["articles"][0]
    assert article["title"] == "没有暖气——先检查这些"
    widget.get("/api/v1/kb/public/articles", params={"lang": "zh", "session": "w-1"})  # browsing
    opened = widget.get(f"/api/v1/kb/public/articles/{article['article_id']}",
                        params={"session": "w-1"})  # fmt: skip
    assert opened.json()["body"].startswith("报修之前")
    body = {"session": "w-1", "article_id": article["article_id"]}
    assert widget.post("/api/v1/kb/public/deflections", json=body).json()["recorded"] is True
    assert widget.post("/api/v1/kb/public/deflections", json=body).json()["recorded"] is False
    escalation = {"session": "w-2", "article_id": None}
    assert widget.post("/api/v1/kb/public/escalations", json=escalation).json()["recorded"]
    period = {"start": "2026-11-23", "end": "2026-11-24"}
    stats = as_(kb_api, "sue").get("/api/v1/kb/stats", params=period).json()
    assert stats["days"] == [{"day": "2026-11-23", "searches": 1, "views": 1, "deflected": 1,
                              "escalated": 1, "deflection_rate": 0.5}]  # fmt: skip
    assert stats["total"]["deflection_rate"] == 0.5
    assert "deflected / (deflected + escalated)" in stats["definition"]
    assert stats["timezone"] == "UTC"  # the hotline's queues run on UTC
    week = as_(kb_api, "sue").get("/api/v1/kb/stats").json()
    assert [d["day"] for d in week["days"]][-1] == "2026-11-23" and len(week["days"]) == 7


def test_the_widget_sees_only_published_articles_and_bounded_input(kb_api: Hotline) -> None:
    widget, sue = as_(kb_api, None), as_(kb_api, "sue")
    draft = sue.post("/api/v1/kb/articles", json={**ARTICLE, "published": False}).json()
    _error(widget.get(f"/api/v1/kb/public/articles/{draft['article_id']}"), 404)
    _error(widget.get("/api/v1/kb/public/articles/99999"), 404)
    deflect = {"session": "w-1", "article_id": draft["article_id"]}
    _error(widget.post("/api/v1/kb/public/deflections", json=deflect), 404)
    found = widget.get("/api/v1/kb/public/articles", params={"q": "PIN", "lang": "en"}).json()
    assert draft["article_id"] not in [a["article_id"] for a in found["articles"]]
    bad_session = {"session": "x" * 65, "article_id": 1}
    assert "session" in _error(widget.post("/api/v1/kb/public/deflections", json=bad_session),
                               422)["error"]  # fmt: skip
    _error(widget.post("/api/v1/kb/public/deflections", json={"session": "a b", "article_id": 1}),
           422)  # fmt: skip
    _error(widget.get("/api/v1/kb/public/articles", params={"q": "x" * 201}), 422)
    _error(widget.get("/api/v1/kb/public/articles", params={"session": "<script>"}), 422)
    bad_period = sue.get("/api/v1/kb/stats", params={"start": "2026-11-23", "end": "2026-11-23"})
    assert "half-open" in _error(bad_period, 422)["error"]
    assert "start" in _error(sue.get("/api/v1/kb/stats?start=yesterday"), 422)["error"]
    assert "tz" in _error(sue.get("/api/v1/kb/stats?tz=Mars/Base"), 422)["error"]
