"""Fixtures for the server tests: a hotline store per database, served by uvicorn."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from callboard.store import open_store
from callboard.store.users import UserStore
from tests.server.hotline import USERS, FakeTime, Hotline


@pytest.fixture
def hotline_db(store_url: str) -> Iterator[Hotline]:
    engine = open_store(store_url)
    users = UserStore(engine)
    tokens = {}
    for name, role in USERS:
        users.add(name, role)
        tokens[name] = users.issue_token(name)
    yield Hotline(engine, FakeTime(), tokens)
    engine.dispose()


@pytest.fixture
def api(hotline_db: Hotline) -> Iterator[Hotline]:
    with hotline_db.serve() as url:
        hotline_db.url = url
        sue = hotline_db.as_("sue")
        for agent, skill in (("ann", "heating"), ("bob", "billing")):
            added = sue.post("/api/v1/agents", json={"agent_id": agent, "skills": {skill: 1}})
            assert added.status_code == 201, added.text
        yield hotline_db
