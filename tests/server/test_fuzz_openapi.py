"""Fuzz every operation in the OpenAPI document: no 500s, and every error has the one shape."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callboard.engine import Center, QueueSpec
from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.store import open_store
from callboard.store.users import UserStore

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
PARAM = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    db = tmp_path_factory.mktemp("fuzz") / "callboard.db"
    engine = open_store(f"sqlite:///{db}")
    users = UserStore(engine)
    users.add("root", "admin")
    token = users.issue_token("root")
    center = ServerConfig(center=lambda now: Center([QueueSpec("heating")], start=now))
    with TestClient(build_app(engine, center), raise_server_exceptions=False) as test_client:
        yield test_client, token
    engine.dispose()


def _operations(client: TestClient) -> list[tuple[str, str]]:
    """Every documented operation except endless streams, which take no input to fuzz
    (they are tested in test_live_api) and would never finish a request."""
    spec = client.get("/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete") and "/stream/" not in path
    ]


def test_the_api_documents_its_operations(client: tuple[TestClient, str]) -> None:
    operations = _operations(client[0])
    assert ("POST", "/api/v1/contacts") in operations
    assert ("PATCH", "/api/v1/cases/{case_id}") in operations
    assert len(operations) >= 20


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_request_makes_the_server_fail(
    client: tuple[TestClient, str], data: st.DataObject
) -> None:
    test_client, token = client
    method, template = data.draw(st.sampled_from(_operations(test_client)))
    path = re.sub(r"\{[^}]+\}", lambda _: quote(data.draw(PARAM), safe=""), template)
    body: Any = data.draw(JSON)
    query = data.draw(
        st.dictionaries(
            st.sampled_from(["status", "limit", "text", "opened_from"]),
            st.text(max_size=12),
            max_size=2,
        )
    )
    authorised = data.draw(st.booleans())
    headers = {"Authorization": f"Bearer {token}"} if authorised else {}
    response = test_client.request(
        method,
        path,
        content=json.dumps(body),
        params=query,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code < 500, (method, path, body, response.text)
    if response.status_code >= 400:
        error = response.json()
        assert error["ok"] is False and error["status"] == response.status_code
        assert isinstance(error["error"], str) and error["error"]
