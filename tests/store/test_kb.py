"""The knowledge-base store on SQLite and PostgreSQL: articles, search in four languages,
use events and the deflection rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from callboard.errors import BadInput
from callboard.store.kb import (
    ArticleNotFound,
    Draft,
    DuplicateArticle,
    InvalidArticle,
    KnowledgeBase,
    draft_from,
    query_terms,
)
from callboard.store.kb_file import read_articles

SEED = Path(__file__).resolve().parents[2] / "examples" / "kb" / "articles.yaml"
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def kb(store: Engine, clock: Clock) -> KnowledgeBase:
    return KnowledgeBase(store, clock)


@pytest.fixture
def seeded(kb: KnowledgeBase) -> KnowledgeBase:
    read = read_articles(SEED)
    assert read.rejected == 0 and len(read.drafts) == 24
    for draft in read.drafts:
        kb.save(draft, "seed")
    return kb


def _titles(kb: KnowledgeBase, query: str, language: str | None) -> list[str]:
    return [hit.article.title for hit in kb.search(query, language=language)]


def test_an_article_is_added_read_and_updated_by_its_author(
    kb: KnowledgeBase, clock: Clock
) -> None:
    draft = Draft("Card blocked", "Three wrong PINs block a card until midnight.", "cards", "en")
    added = kb.add(draft, "sue")
    assert kb.get(added.article_id) == added
    assert (added.published, added.updated_by, added.created_at) == (True, "sue", T0)
    clock.now += timedelta(hours=1)
    changed = kb.update(
        added.article_id, Draft(draft.title, "New text.", "cards", "en", False), "tom"
    )
    assert (changed.body, changed.published, changed.updated_by) == ("New text.", False, "tom")
    assert changed.created_at == T0 and changed.updated_at == T0 + timedelta(hours=1)
    with pytest.raises(ArticleNotFound):
        kb.get(added.article_id, published_only=True)
    with pytest.raises(ArticleNotFound):
        kb.update(added.article_id + 100, draft, "sue")


def test_a_title_is_unique_within_a_language_and_save_updates_in_place(kb: KnowledgeBase) -> None:
    first = kb.add(Draft("Card blocked", "one", "cards", "en"), "sue")
    with pytest.raises(DuplicateArticle, match=f"article {first.article_id} already has"):
        kb.add(Draft("Card blocked", "two", "cards", "en"), "sue")
    other = kb.add(Draft("Second", "two", "cards", "en"), "sue")
    with pytest.raises(DuplicateArticle):
        kb.update(other.article_id, Draft("Card blocked", "x", "cards", "en"), "sue")
    assert kb.add(Draft("Card blocked", "in Russian", "cards", "ru"), "sue").language == "ru"
    saved, added = kb.save(Draft("Card blocked", "three", "cards", "en"), "import")
    assert not added and saved.article_id == first.article_id and saved.body == "three"


def test_draft_checks_name_every_bad_field() -> None:
    with pytest.raises(InvalidArticle) as caught:
        draft_from({"title": "  ", "body": "x" * 20_001, "category": 7, "language": "de",
                    "published": "yes", "colour": "red"})  # fmt: skip
    fields = [field for field, _ in caught.value.problems]
    assert fields == ["colour", "title", "body", "category", "language", "published"]
    assert "must be one of en, ru, uk, zh" in str(caught.value)
    assert "at most 20000" in str(caught.value)
    draft = draft_from({"title": " Hi ", "body": "b", "category": "c", "language": "zh"})
    assert draft == Draft("Hi", "b", "c", "zh", True)


def test_chinese_is_searched_by_character_pairs(seeded: KnowledgeBase) -> None:
    assert query_terms("银行卡冻结") == ["银行", "行卡", "卡冻", "冻结"]
    assert _titles(seeded, "我的卡被冻结了", "zh")[0] == "银行卡被冻结"
    assert _titles(seeded, "没有暖气", "zh")[0] == "没有暖气——先检查这些"
    assert _titles(seeded, "燃气味", "zh")[0] == "闻到燃气味——立即拨打 104"
    hit = seeded.search("冻结", language="zh")[0]
    assert 0 < hit.score <= 1 and "冻结" in hit.snippet


def test_russian_and_ukrainian_match_other_word_forms(seeded: KnowledgeBase) -> None:
    # "заблокировали карту" vs the title "Карта заблокирована"; ё and е are one letter.
    assert _titles(seeded, "заблокировали карту", "ru")[0] == "Карта заблокирована"
    assert _titles(seeded, "показания счетчика", "ru")[0] == "Как передать показания счётчика"
    assert _titles(seeded, "батарея холодная, нет отопления", "ru")[0] == (
        "Нет отопления — что проверить"
    )
    assert _titles(seeded, "запах газу", "uk")[0] == "Запах газу — негайно телефонуйте 104"
    assert _titles(seeded, "CARD BLOCKED", "en")[0] == "Card blocked"


def test_search_scope_and_empty_queries(seeded: KnowledgeBase, clock: Clock) -> None:
    everywhere = seeded.search("104", limit=50)
    assert {hit.article.language for hit in everywhere} == {"en", "ru", "uk", "zh"}
    assert all(hit.article.category == "cards"
               for hit in seeded.search("карта", language="ru", category="cards"))  # fmt: skip
    assert seeded.search("и в на", language="ru") == []  # only one- and two-letter words
    clock.now += timedelta(minutes=5)
    newest = seeded.add(Draft("Draft rule", "not yet", "cards", "en", published=False), "sue")
    listed = seeded.search("", language="en", published_only=False, limit=3)
    assert listed[0].article == newest and listed[0].score == 0.0
    assert newest.article_id not in [h.article.article_id for h in seeded.search("", limit=50)]
    assert seeded.search("draft rule", language="en") == []
    with pytest.raises(BadInput, match="at most 200"):
        seeded.search("x" * 201)


def test_deflection_counts_sessions_that_left_without_queueing(
    kb: KnowledgeBase, clock: Clock
) -> None:
    article = kb.add(Draft("Card blocked", "b", "cards", "en"), "sue").article_id
    kb.record("search", session="s1", language="en", query="card")
    kb.record("view", session="s1", article_id=article)
    assert kb.record("deflected", session="s1", article_id=article)
    assert not kb.record("deflected", session="s1", article_id=article)  # once per session
    assert kb.record("deflected", session="s2", article_id=article)
    clock.now += timedelta(minutes=3)
    assert kb.record("escalated", session="s2")  # s2 said "answered" but queued anyway
    assert kb.record("escalated", session="s3", article_id=article)
    clock.now += timedelta(days=1)
    assert kb.record("deflected", session="s4", article_id=article)
    stats = kb.stats(date(2026, 11, 22), date(2026, 11, 25), ZoneInfo("UTC"))
    day = {d.pop("day"): d for d in stats["days"]}
    assert day["2026-11-22"] == {"searches": 0, "views": 0, "deflected": 0, "escalated": 0,
                                 "deflection_rate": None}  # fmt: skip
    assert day["2026-11-23"] == {"searches": 1, "views": 1, "deflected": 1, "escalated": 2,
                                 "deflection_rate": 1 / 3}  # fmt: skip
    assert day["2026-11-24"]["deflection_rate"] == 1.0
    assert stats["total"] == {"searches": 1, "views": 1, "deflected": 2, "escalated": 2,
                              "deflection_rate": 0.5}  # fmt: skip
    assert stats["definition"].startswith("deflection_rate = deflected / (deflected + escalated)")


def test_stats_days_follow_the_zone(kb: KnowledgeBase, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 01:30 on the 24th in Kyiv
    kb.record("search", session="s", query="gas")
    utc = kb.stats(date(2026, 11, 23), date(2026, 11, 25), ZoneInfo("UTC"))
    kyiv = kb.stats(date(2026, 11, 23), date(2026, 11, 25), ZoneInfo("Europe/Kyiv"))
    assert [d["searches"] for d in utc["days"]] == [1, 0]
    assert [d["searches"] for d in kyiv["days"]] == [0, 1]
    with pytest.raises(BadInput, match="half-open"):
        kb.stats(date(2026, 11, 23), date(2026, 11, 23), ZoneInfo("UTC"))
    with pytest.raises(BadInput, match="at most 366"):
        kb.stats(date(2025, 1, 1), date(2026, 11, 23), ZoneInfo("UTC"))


def test_events_need_a_session_to_end_a_visit_and_a_published_article(
    kb: KnowledgeBase,
) -> None:
    draft = kb.add(Draft("Hidden", "b", "cards", "en", published=False), "sue").article_id
    with pytest.raises(ArticleNotFound):
        kb.record("view", session="s", article_id=draft)
    with pytest.raises(BadInput, match="needs the widget session"):
        kb.record("deflected")
    with pytest.raises(BadInput, match="unknown event kind"):
        kb.record("liked", session="s")


def test_nul_characters_never_reach_the_database(seeded: KnowledgeBase) -> None:
    """PostgreSQL text cannot hold NUL, so one in a caller's input must not become a 500."""
    assert seeded.search("\x00", language="en") == []
    assert seeded.search("card\x00", category="cards\x00") == []
    assert seeded.search("gas\x00smell", language="en")[0].article.category == "emergency"
    assert seeded.record("search", session="s", query="gas\x00")
    with pytest.raises(InvalidArticle, match="must not contain NUL"):
        draft_from({"title": "a\x00", "body": "b", "category": "c", "language": "en"})
