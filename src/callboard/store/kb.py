"""The knowledge base: articles in en, ru, uk and zh, their search, and how callers used them.

Search is ranked in Python over candidate rows that SQL narrows with substring
matches on `search_text` (the title and body folded once at write time).
SQLite FTS5 and PostgreSQL full-text search are different engines with
different ranking, and neither segments Chinese without an extension
(zhparser, an ICU tokenizer), so a portable store cannot lean on either. A
substring match on folded text works the same on both, and it handles Chinese,
which has no spaces, through character bigrams. Russian and Ukrainian are
inflected, so a long word is matched by its first letters only ("картку" finds
"картка"): a crude stem, but one that needs no dictionary. A hotline's
knowledge base holds hundreds to a few thousand articles, and at most
`CANDIDATES` of them are ranked per query.

Deflection counts sessions, not clicks: a widget session that marks an article
as the answer and then joins a queue anyway counts as escalated, not deflected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, RowMapping, and_, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from callboard.errors import BadInput, CallboardError
from callboard.store.schema import kb_articles, kb_events
from callboard.store.times import aware, utc

LANGUAGES = ("en", "ru", "uk", "zh")
# Field sizes: an article is read on a phone call, so it is short by design.
LIMITS = {"title": 200, "body": 20_000, "category": 64}
EVENT_KINDS = ("search", "view", "deflected", "escalated")
# A session marks the end of its knowledge-base visit once each way.
ONCE_PER_SESSION = ("deflected", "escalated")
MAX_QUERY = 200
MAX_SESSION = 64
MAX_STATS_DAYS = 366
CANDIDATES = 2_000
MAX_TERMS = 32
SNIPPET = 200
DEFLECTION_DEFINITION = (
    "deflection_rate = deflected / (deflected + escalated). deflected: widget sessions that "
    "marked an article as answering their question and did not join a queue afterwards; "
    "escalated: widget sessions that used the knowledge base and still joined a queue. Each "
    "session counts once, on the day of its event; null when no session did either."
)

# Han, kana and hangul: scripts written without spaces, matched by character pairs.
_CJK = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]"
_TOKENS = re.compile(f"{_CJK}+|(?:(?!{_CJK})[^\\W_])+")
_IS_CJK = re.compile(_CJK)
_SPACES = re.compile(r"\s+")


class ArticleNotFound(CallboardError):
    """No article with that id (or none visible to the asker); the API answers 404."""


class DuplicateArticle(BadInput):
    """Another article in the language has the same title; the API answers 409."""


class InvalidArticle(BadInput):
    """An article's fields are unusable; `problems` lists (field, problem) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {problem}" for field, problem in problems))


@dataclass(frozen=True)
class Draft:
    """An article's content as written; `draft_from` is the only way to build a checked one."""

    title: str
    body: str
    category: str
    language: str
    published: bool = True


@dataclass(frozen=True)
class Article:
    article_id: int
    title: str
    body: str
    category: str
    language: str
    published: bool
    created_at: datetime
    updated_at: datetime
    updated_by: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id, "title": self.title, "body": self.body,
            "category": self.category, "language": self.language, "published": self.published,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
        }  # fmt: skip


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "article_id": a.article_id, "title": a.title, "category": a.category,
            "language": a.language, "published": a.published, "snippet": self.snippet,
            "score": round(self.score, 4), "updated_at": a.updated_at.isoformat(),
        }  # fmt: skip


def draft_from(values: Mapping[str, Any]) -> Draft:
    """A checked draft from plain data (an API body or one article of a file)."""
    problems: list[tuple[str, str]] = []
    unknown = sorted(
        {str(key) for key in values} - {"title", "body", "category", "language", "published"}
    )
    problems += [(key, "unknown field; use title, body, category, language, published")
                 for key in unknown]  # fmt: skip
    text: dict[str, str] = {}
    for name, limit in LIMITS.items():
        value = values.get(name)
        if not isinstance(value, str):
            problems.append((name, "missing" if value is None else "must be text"))
        elif not value.strip():
            problems.append((name, "must not be empty"))
        elif "\x00" in value:
            problems.append((name, "must not contain NUL characters"))
        elif len(value.strip()) > limit:
            problems.append((name, f"is {len(value.strip())} characters; at most {limit}"))
        else:
            text[name] = value.strip()
    language = values.get("language")
    if language not in LANGUAGES:
        problems.append(("language", f"must be one of {', '.join(LANGUAGES)}, got {language!r}"))
    published = values.get("published", True)
    if not isinstance(published, bool):
        problems.append(("published", f"must be true or false, got {published!r}"))
    if problems:
        raise InvalidArticle(problems)
    return Draft(text["title"], text["body"], text["category"], str(language), published)


def fold(text: str) -> str:
    """The form both stored text and queries are compared in: NFKC, case-folded, ё as е."""
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


def query_terms(query: str) -> list[str]:
    """Substrings to look for: character pairs of CJK runs, word stems elsewhere.

    Words of one or two letters are dropped (they match nearly everything);
    numbers are kept whole, since "104" is how people look up a service number.
    """
    terms: list[str] = []
    for token in _TOKENS.findall(fold(query)):
        if _IS_CJK.match(token):
            pieces = [token[i : i + 2] for i in range(len(token) - 1)] or [token]
        elif token.isdigit():
            pieces = [token]
        elif len(token) < 3:
            continue
        else:
            pieces = [token[: max(4, len(token) - 2)]]
        terms += [piece for piece in pieces if piece not in terms]
    return terms[:MAX_TERMS]


def snippet(body: str, terms: Iterable[str]) -> str:
    """About `SNIPPET` characters of the body around the first term found, on one line."""
    folded = fold(body)
    start = 0
    if len(folded) == len(body):  # positions agree unless folding changed the length
        found = [p for p in (folded.find(t) for t in terms) if p >= 0]
        start = max(0, min(found) - SNIPPET // 4) if found else 0
    piece = _SPACES.sub(" ", body[start : start + SNIPPET]).strip()
    return ("…" if start > 0 else "") + piece + ("…" if start + SNIPPET < len(body) else "")


class KnowledgeBase:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.engine = engine
        self.clock = clock

    # ---------------------------------------------------------------- articles

    def add(self, draft: Draft, by: str) -> Article:
        now = utc(self.clock())
        values = {**_content(draft), "created_at": now, "updated_at": now, "updated_by": by}
        try:
            with self.engine.begin() as conn:
                article_id = conn.execute(
                    insert(kb_articles).returning(kb_articles.c.id), values
                ).scalar_one()
        except IntegrityError:
            raise self._duplicate(draft) from None
        return self.get(article_id)

    def update(self, article_id: int, draft: Draft, by: str) -> Article:
        values = {**_content(draft), "updated_at": utc(self.clock()), "updated_by": by}
        try:
            with self.engine.begin() as conn:
                changed = conn.execute(
                    update(kb_articles).where(kb_articles.c.id == article_id).values(values)
                ).rowcount
        except IntegrityError:
            raise self._duplicate(draft) from None
        if not changed:
            raise ArticleNotFound(f"no article {article_id}")
        return self.get(article_id)

    def save(self, draft: Draft, by: str) -> tuple[Article, bool]:
        """Add the article, or update the one with its language and title: (article, added).

        Importing a file twice therefore updates articles in place.
        """
        query = select(kb_articles.c.id).where(
            kb_articles.c.language == draft.language, kb_articles.c.title == draft.title
        )
        with self.engine.connect() as conn:
            existing = conn.execute(query).scalar()
        if existing is None:
            return self.add(draft, by), True
        return self.update(existing, draft, by), False

    def get(self, article_id: int, *, published_only: bool = False) -> Article:
        query = select(kb_articles).where(kb_articles.c.id == article_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None or (published_only and not row["published"]):
            raise ArticleNotFound(f"no article {article_id}")
        return _article(row)

    def search(
        self,
        query: str,
        *,
        language: str | None = None,
        category: str | None = None,
        published_only: bool = True,
        limit: int = 20,
    ) -> list[Hit]:
        """Best matches first; an empty query lists the newest articles (score 0)."""
        if len(query) > MAX_QUERY:
            raise BadInput(f"the query is {len(query)} characters; at most {MAX_QUERY}")
        if category is not None and "\x00" in category:
            return []  # no category holds one; PostgreSQL would refuse the parameter
        scope: list[ColumnElement[bool]] = []
        if language is not None:
            scope.append(kb_articles.c.language == language)
        if category is not None:
            scope.append(kb_articles.c.category == category)
        if published_only:
            scope.append(kb_articles.c.published.is_(True))
        newest = (kb_articles.c.updated_at.desc(), kb_articles.c.id.desc())
        if not query.strip():
            with self.engine.connect() as conn:
                newest_rows = conn.execute(
                    select(kb_articles).where(*scope).order_by(*newest).limit(limit)
                ).mappings()
                return [Hit(_article(row), 0.0, snippet(row["body"], ())) for row in newest_rows]
        terms = query_terms(query)
        if not terms:
            return []
        matches = or_(*(kb_articles.c.search_text.contains(t, autoescape=True) for t in terms))
        candidates = select(kb_articles).where(*scope, matches).order_by(*newest)
        with self.engine.connect() as conn:
            rows = list(conn.execute(candidates.limit(CANDIDATES)).mappings())
        weights = _weights(terms, [row["search_text"] for row in rows])
        ranked = sorted(
            ((_score(row, terms, weights), row) for row in rows),
            key=lambda pair: -pair[0],  # stable: ties keep the newest first
        )
        present = sorted(terms, key=lambda t: -weights[t])
        return [
            Hit(_article(row), score, snippet(row["body"], present))
            for score, row in ranked[:limit]
        ]

    # ------------------------------------------------------------------ events

    def record(
        self,
        kind: str,
        *,
        session: str | None = None,
        article_id: int | None = None,
        language: str | None = None,
        query: str | None = None,
    ) -> bool:
        """Write one use event; False when the session already ended its visit this way.

        A deflection or escalation must name a session, and an article named
        must exist and be published: callers only ever see published ones. The
        event's language defaults to the article's.
        """
        if kind not in EVENT_KINDS:
            raise BadInput(f"unknown event kind {kind!r}; choose from {', '.join(EVENT_KINDS)}")
        if session is not None and not 0 < len(session) <= MAX_SESSION:
            raise BadInput(f"session must be 1 to {MAX_SESSION} characters")
        if kind in ONCE_PER_SESSION and session is None:
            raise BadInput(f"a {kind} event needs the widget session")
        if article_id is not None:
            language = language or self.get(article_id, published_only=True).language
        row = {
            "at": utc(self.clock()), "kind": kind, "article_id": article_id,
            "session": session, "language": language,
            "query": None if query is None else query.replace("\x00", "")[:MAX_QUERY],
        }  # fmt: skip
        with self.engine.begin() as conn:
            if kind in ONCE_PER_SESSION:
                seen = conn.execute(
                    select(kb_events.c.id)
                    .where(kb_events.c.kind == kind, kb_events.c.session == session)
                    .limit(1)
                ).first()
                if seen is not None:
                    return False
            conn.execute(insert(kb_events), row)
        return True

    def stats(self, start: date, end: date, zone: ZoneInfo) -> dict[str, Any]:
        """Searches, views, deflections and escalations per day of `zone`, days [start, end)."""
        days = (end - start).days
        if days <= 0:
            raise BadInput(
                f"end {end} is not after start {start}; the period is half-open [start, end)"
            )
        if days > MAX_STATS_DAYS:
            raise BadInput(f"the period is {days} days; at most {MAX_STATS_DAYS}")
        since, until = (utc(datetime.combine(d, datetime.min.time(), zone)) for d in (start, end))
        later = kb_events.alias("later")
        escalated_after = exists().where(
            later.c.session == kb_events.c.session,
            later.c.kind == "escalated",
            later.c.at >= kb_events.c.at,
        )
        # A deflection followed by an escalation of the same session does not count.
        counted = or_(kb_events.c.kind != "deflected", ~escalated_after)
        query = select(kb_events.c.at, kb_events.c.kind).where(
            and_(kb_events.c.at >= since, kb_events.c.at < until, counted)
        )
        keys = ("searches", "views", "deflected", "escalated")
        names = dict(zip(EVENT_KINDS, keys, strict=True))
        per_day = {start + timedelta(days=i): dict.fromkeys(keys, 0) for i in range(days)}
        with self.engine.connect() as conn:
            for at, kind in conn.execute(query):
                per_day[aware(at).astimezone(zone).date()][names[kind]] += 1
        total = {key: sum(counts[key] for counts in per_day.values()) for key in keys}
        return {
            "definition": DEFLECTION_DEFINITION,
            "timezone": zone.key,
            "days": [{"day": day.isoformat(), **_rated(counts)} for day, counts in per_day.items()],
            "total": _rated(total),
        }

    def _duplicate(self, draft: Draft) -> DuplicateArticle:
        query = select(kb_articles.c.id).where(
            kb_articles.c.language == draft.language, kb_articles.c.title == draft.title
        )
        with self.engine.connect() as conn:
            other = conn.execute(query).scalar()
        return DuplicateArticle(
            f"article {other} already has the title {draft.title!r} in {draft.language}"
        )


def _content(draft: Draft) -> dict[str, Any]:
    return {
        "title": draft.title, "body": draft.body, "category": draft.category,
        "language": draft.language, "published": draft.published,
        "search_text": fold(f"{draft.title}\n{draft.body}"),
    }  # fmt: skip


def _weights(terms: list[str], texts: list[str]) -> dict[str, float]:
    """Inverse document frequency over the candidates: a term every article has says little."""
    n = len(texts)
    return {t: math.log(1 + (n + 1) / (sum(t in text for text in texts) + 0.5)) for t in terms}


def _score(row: RowMapping, terms: list[str], weights: dict[str, float]) -> float:
    """Weighted share of the query found: 0.6 for the term anywhere, 0.3 more in the
    title, and up to 0.1 more as it repeats. 1.0 would be every term, in the title, often."""
    title = fold(row["title"])
    text: str = row["search_text"]
    gained = 0.0
    for term in terms:
        count = text.count(term)
        if count:
            gained += weights[term] * (0.6 + 0.3 * (term in title) + 0.1 * (1 - 1 / count))
    return gained / sum(weights.values())


def _rated(counts: dict[str, int]) -> dict[str, Any]:
    ended = counts["deflected"] + counts["escalated"]
    return {**counts, "deflection_rate": counts["deflected"] / ended if ended else None}


def _article(row: RowMapping) -> Article:
    return Article(
        article_id=int(row["id"]), title=row["title"], body=row["body"],
        category=row["category"], language=row["language"], published=bool(row["published"]),
        created_at=aware(row["created_at"]), updated_at=aware(row["updated_at"]),
        updated_by=row["updated_by"],
    )  # fmt: skip
