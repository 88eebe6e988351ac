"""Fixtures for the server tests: a hotline store per database, served by uvicorn."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from callboard.engine import Center
from callboard.store import open_store
from callboard.store.users import UserStore
from tests.server.hotline import USERS, FakeTime, Hotline, hotline, patient_hotline


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


def _served(hotline_db: Hotline, center: Callable[[float], Center]) -> Iterator[Hotline]:
    with hotline_db.serve(center=center) as url:
        hotline_db.url = url
        sue = hotline_db.as_("sue")
        for agent, skill in (("ann", "heating"), ("bob", "billing")):
            added = sue.post("/api/v1/agents", json={"agent_id": agent, "skills": {skill: 1}})
            assert added.status_code == 201, added.text
        yield hotline_db


@pytest.fixture
def api(hotline_db: Hotline) -> Iterator[Hotline]:
    yield from _served(hotline_db, hotline)


@pytest.fixture
def clocked(hotline_db: Hotline) -> Iterator[Hotline]:
    """The hotline with a maximum wait on heating and a short billing line (patient_hotline)."""
    yield from _served(hotline_db, patient_hotline)
