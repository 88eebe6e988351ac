"""CaseStore searches that the API and the widget rely on, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from callboard.store.cases import CaseFilter, CaseStore

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_cases_filter_by_one_linked_contact_exactly(store: Engine) -> None:
    cases = CaseStore(store)
    # Ids that a substring or LIKE wildcard match would confuse with each other.
    ids = ["c1", "c10", "a%b", "a_b", 'q"uote', "x\\y", "кот"]
    opened = {cid: cases.open(at=AT, actor="t", contact_ids=[cid])["id"] for cid in ids}
    both = cases.open(at=AT, actor="t", contact_ids=["c10", "c1"])["id"]
    cases.open(at=AT, actor="t", contact_ids=["axb", 'x"c1"y'])

    def found(contact_id: str) -> list[int]:
        return [c["id"] for c in cases.search(CaseFilter(contact_id=contact_id), now=AT)]

    assert found("c1") == [both, opened["c1"]]
    assert found("c10") == [both, opened["c10"]]
    for cid in ids[2:]:
        assert found(cid) == [opened[cid]], cid
    assert found("c") == []
    assert found("%") == []
