"""GET /api/v1/surge/projection: the live state projected under each option of the plan.

The hotline has two agents on the phones for about five Erlangs of calls and ten
callers already in line; tier 3 brings two outbound agents, tier 2 two back-office
agents, tier 1 one reserve person after 30 minutes.
"""

from __future__ import annotations

from typing import Any

from tests.server.hotline import Hotline
from tests.surge.live_hotline import calls, served, staff, surge_app, tick

OPTIONS = ["none", "tier3", "tier2", "tier1"]


def project(hotline: Hotline, **params: Any) -> dict[str, Any]:
    response = hotline.as_("sue").get("/api/v1/surge/projection", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_an_under_staffed_center_is_projected_under_every_option(hotline_db: Hotline) -> None:
    with served(hotline_db, surge_app(hotline_db, target_sl=0.6)) as surge:
        staff(hotline_db)
        calls(hotline_db, 12)
        tick(hotline_db, surge, 10)
        body = project(hotline_db, minutes=60, replications=30)
    assert body["minutes"] == 60 and body["replications"] == 30
    assert body["at"] == "2026-11-23T08:00:10+00:00" and body["target_sl"] == 0.6
    # 12 calls in the last 10 minutes against a forecast of 20: the trend scales arrivals.
    assert body["volume"] == {"heating": 0.6}
    options = {o["option"]: o for o in body["options"]}
    assert [o["option"] for o in body["options"]] == OPTIONS
    for option in options.values():
        for figure in ("sl", "abandon_rate", "peak_wait_s"):
            interval = option[figure]
            assert interval["low"] <= interval["mean"] <= interval["high"], (figure, option)
        assert [p["minute"] for p in option["series"]] == list(range(0, 60, 5))
    sl = {name: options[name]["sl"]["mean"] for name in OPTIONS}
    assert sl["none"] < 0.1 < sl["tier3"] < sl["tier2"] <= sl["tier1"]
    assert options["none"]["abandon_rate"]["mean"] > options["tier2"]["abandon_rate"]["mean"]
    assert options["none"]["series"][0]["waiting"] == 10.0  # the callers in line now
    # The cheapest option whose mean SL reaches the target.
    assert options["tier3"]["sl"]["high"] < 0.6 < options["tier2"]["sl"]["low"]
    assert body["recommended"] == "tier2"


def test_projection_parameters_are_checked(hotline_db: Hotline) -> None:
    with served(hotline_db, surge_app(hotline_db)):
        sue = hotline_db.as_("sue")
        for params in ({"minutes": 2}, {"minutes": 10_000}, {"replications": 1}):
            response = sue.get("/api/v1/surge/projection", params=params)
            assert response.status_code == 422, params
            assert response.json()["ok"] is False
        assert hotline_db.as_("pbx").get("/api/v1/surge/projection").status_code == 403
