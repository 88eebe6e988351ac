"""Cases through their lifecycle on SQLite and PostgreSQL (fixtures from tests/store)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from callboard.cases import SlaPolicy, parse_target
from callboard.domain import CaseStatus
from callboard.errors import BadInput
from callboard.store import open_store
from callboard.store.cases import CaseFilter, CaseNotFound, CaseStore, SlaPolicies

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
GAS = SlaPolicy("gas-leak", parse_target("10m"), parse_target("1h"))
BILLING = SlaPolicy("billing", parse_target("4h"), parse_target("3d"))


def fired(store: CaseStore, now: datetime) -> list[tuple[int, str]]:
    return [(e.case_id, e.target) for e in store.escalate_due(now)]


@pytest.fixture
def case_store(store_url: str) -> Iterator[CaseStore]:
    engine: Engine = open_store(store_url)
    yield CaseStore(engine, SlaPolicies(by_category={"gas-leak": GAS}, default=BILLING))
    engine.dispose()


def test_a_case_through_its_whole_lifecycle(case_store: CaseStore) -> None:
    case = case_store.open(
        at=T0,
        actor="agent:ann",
        caller="+380441234567",
        category="gas-leak",
        queue="heating",
        contact_ids=["c1"],
    )
    number = case["id"]
    assert case["status"] == "new" and case["sla"]["policy"]["name"] == "gas-leak"
    case_store.respond(number, at=T0 + timedelta(minutes=5), actor="agent:ann", message="on it")
    case_store.update(
        number,
        at=T0 + timedelta(minutes=10),
        actor="agent:ann",
        changes={"status": "pending", "notes": "waiting for the meter reading"},
    )
    # 30 minutes pending do not count towards the one-hour resolution target.
    case_store.update(
        number, at=T0 + timedelta(minutes=40), actor="agent:ann", changes={"status": "open"}
    )
    done = case_store.update(
        number,
        at=T0 + timedelta(minutes=70),
        actor="agent:ann",
        changes={"status": "resolved", "outcome": "valve replaced"},
    )
    assert done["sla"]["paused_s"] == 1800
    assert done["sla"]["resolution_elapsed_s"] == 40 * 60
    assert not done["sla"]["resolution_breached"] and not done["sla"]["first_response_breached"]
    rated = case_store.rate(
        number, score=5, comment="fast", at=T0 + timedelta(hours=2), actor="caller"
    )
    assert rated["csat_score"] == 5
    closed = case_store.update(
        number, at=T0 + timedelta(hours=3), actor="supervisor:bo", changes={"status": "closed"}
    )
    assert closed["closed_at"] is not None
    actions = [entry["action"] for entry in case_store.history(number)]
    assert actions == ["opened", "responded", "updated", "updated", "updated", "rated", "updated"]
    assert case_store.history(number)[2]["changes"]["status"] == ["open", "pending"]


def test_closed_is_final_and_bad_edits_are_refused(case_store: CaseStore) -> None:
    number = case_store.open(at=T0, actor="a")["id"]
    with pytest.raises(BadInput, match="rate it once it is resolved"):
        case_store.rate(number, score=4, at=T0, actor="caller")
    case_store.update(number, at=T0, actor="a", changes={"status": "resolved"})
    case_store.update(number, at=T0, actor="a", changes={"status": "closed"})
    with pytest.raises(BadInput, match="cannot become open"):
        case_store.update(number, at=T0, actor="a", changes={"status": "open"})
    with pytest.raises(BadInput, match="1 to 5"):
        case_store.rate(number, score=9, at=T0, actor="caller")
    with pytest.raises(BadInput, match="cannot change"):
        case_store.update(number, at=T0, actor="a", changes={"opened_at": T0})
    with pytest.raises(CaseNotFound):
        case_store.get(99_999, now=T0)


def test_due_targets_escalate_once_each(case_store: CaseStore) -> None:
    gas = case_store.open(at=T0, actor="a", category="gas-leak")["id"]
    billing = case_store.open(at=T0, actor="a", category="billing")["id"]
    assert fired(case_store, T0 + timedelta(minutes=5)) == []
    assert fired(case_store, T0 + timedelta(minutes=11)) == [(gas, "first_response")]
    assert fired(case_store, T0 + timedelta(minutes=12)) == []
    later = fired(case_store, T0 + timedelta(hours=5))
    assert sorted(later) == sorted([(gas, "resolution"), (billing, "first_response")])
    assert case_store.history(gas)[-1]["action"] == "escalated"


def test_pending_pauses_the_resolution_due_time(case_store: CaseStore) -> None:
    number = case_store.open(at=T0, actor="a", category="gas-leak")["id"]
    case_store.update(
        number, at=T0 + timedelta(minutes=20), actor="a", changes={"status": "pending"}
    )
    paused = case_store.get(number, now=T0 + timedelta(hours=5))
    assert paused["sla"]["resolution_due"] is None and not paused["sla"]["resolution_breached"]
    assert fired(case_store, T0 + timedelta(hours=5)) == [(number, "first_response")]
    case_store.update(number, at=T0 + timedelta(hours=5), actor="a", changes={"status": "open"})
    running = case_store.get(number, now=T0 + timedelta(hours=5))
    due = datetime.fromisoformat(running["sla"]["resolution_due"])
    assert due == T0 + timedelta(hours=5, minutes=40)


def test_search_filters_combine(case_store: CaseStore) -> None:
    a = case_store.open(
        at=T0, actor="a", caller="111", category="billing", assignee="ann", notes="double charge"
    )["id"]
    case_store.open(at=T0 + timedelta(days=1), actor="a", caller="222", category="billing")
    case_store.open(at=T0, actor="a", caller="111", category="gas-leak")
    found = case_store.search(CaseFilter(caller="111", category="billing"), now=T0)
    assert [c["id"] for c in found] == [a]
    assert [c["id"] for c in case_store.search(CaseFilter(text="DOUBLE"), now=T0)] == [a]
    assert len(case_store.search(CaseFilter(opened_to=T0 + timedelta(hours=1)), now=T0)) == 2
    assert len(case_store.search(CaseFilter(status=[CaseStatus.NEW], limit=1), now=T0)) == 1
    assert case_store.search(CaseFilter(assignee="ann"), now=T0)[0]["notes"] == "double charge"


def test_times_come_back_in_the_centers_zone_with_or_without_policies(store_url: str) -> None:
    engine = open_store(store_url)
    shanghai = CaseStore(engine, SlaPolicies(timezone="Asia/Shanghai"))
    number = shanghai.open(at=T0, actor="a")["id"]
    case = shanghai.update(number, at=T0, actor="a", changes={"status": "pending"})
    assert case["opened_at"] == "2026-11-23T16:00:00+08:00" and case["sla"] is None
    assert case["pending_spans"] == [["2026-11-23T16:00:00+08:00", None]]
    assert {h["at"] for h in shanghai.history(number)} == {"2026-11-23T16:00:00+08:00"}
    engine.dispose()
