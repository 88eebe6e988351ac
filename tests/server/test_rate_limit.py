"""Rate limiting of the anonymous API: a token bucket per client address, 429 with Retry-After.

The bucket arithmetic runs on a clock the test moves; the 429s are checked against a
real uvicorn, since that is where the client address comes from.
"""

from __future__ import annotations

import httpx
import pytest

from callboard.server import build_app
from callboard.server.app import ServerConfig
from callboard.server.rate_limit import RateLimiter
from tests.fixtures.live_server import serving
from tests.server.hotline import Hotline, hotline


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    ticks = Ticks()
    limiter = RateLimiter(burst=3, per_s=3.0, clock=ticks)  # one token a second
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") == 0.0  # each address has its own bucket
    ticks.now = 0.5
    assert limiter.take("a") == pytest.approx(0.5)
    ticks.now = 1.0
    assert limiter.take("a") == 0.0
    ticks.now = 100.0  # a long pause refills to the burst, never beyond
    assert [limiter.take("a") for _ in range(4)][-1] == pytest.approx(1.0)


def test_the_least_recently_seen_buckets_are_forgotten_first() -> None:
    ticks = Ticks()
    limiter = RateLimiter(burst=1, per_s=60.0, max_clients=2, clock=ticks)
    assert limiter.take("a") == 0.0 and limiter.take("b") == 0.0
    assert limiter.take("a") > 0  # "a" is now the most recently seen
    assert limiter.take("c") == 0.0  # pushes out "b", the least recently seen
    assert limiter.take("a") > 0
    assert limiter.take("b") == 0.0  # forgotten, so it starts again with a full bucket


def test_a_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="burst"):
        RateLimiter(burst=0)


def test_the_widget_and_public_kb_answer_429_once_a_caller_exhausts_the_bucket(
    hotline_db: Hotline,
) -> None:
    app = build_app(hotline_db.engine, ServerConfig(clock=hotline_db.time, center=hotline))
    app.state.public_rate_limit = RateLimiter(burst=3, per_s=600.0)
    with serving(app) as url, httpx.Client(base_url=url) as caller:
        for _ in range(2):
            assert caller.get("/api/v1/widget/queues/heating").status_code == 200
        assert caller.get("/api/v1/kb/public/articles", params={"q": "heat"}).status_code == 200
        refused = caller.get("/api/v1/widget/queues/heating")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        body = refused.json()
        assert body["ok"] is False and body["status"] == 429 and body["errors"] == []
        assert "too many requests" in body["error"]
        kb = caller.post("/api/v1/kb/public/deflections", json={"session": "s1", "article_id": 1})
        assert kb.status_code == 429 and kb.headers["Retry-After"]
        # Signed-in staff are not limited by the anonymous bucket.
        staff = httpx.Client(base_url=url, headers=hotline_db.as_("sue").headers)
        assert staff.get("/api/v1/queues").status_code == 200
        staff.close()
