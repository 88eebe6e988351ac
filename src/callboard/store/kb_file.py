"""Knowledge-base article files: what `callboard kb import FILE` reads and saves.

The file (TOML or YAML) holds a list `articles`, each with title, body,
category, language (en, ru, uk, zh) and optionally published (default true). A
bad article is reported as `file: articles[i].field: problem` and skipped; the
good ones are saved. An article with the language and title of a stored one
replaces it, so importing a file again updates the knowledge base instead of
duplicating it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from callboard.config import read_config
from callboard.errors import BadConfig
from callboard.store.kb import Draft, InvalidArticle, KnowledgeBase, draft_from


@dataclass
class ArticleFile:
    """What a file held: the valid articles, and each problem of the rejected ones."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[BadConfig] = field(default_factory=list)
    rejected: int = 0


@dataclass(frozen=True)
class ArticleImport:
    """What an import did; `problems` name each rejected article's file, key and problem."""

    added: int
    updated: int
    rejected: int
    problems: list[BadConfig]


def read_articles(path: Path) -> ArticleFile:
    """Every article checked; a file that cannot be read at all raises `BadConfig`."""
    data, name = read_config(path)
    articles = data.get("articles") if isinstance(data, Mapping) else None
    if not isinstance(articles, list):
        raise BadConfig(name, "articles", "must be a list of articles (title, body, ...)")
    read = ArticleFile()
    seen: dict[tuple[str, str], int] = {}
    for index, values in enumerate(articles):
        key = f"articles[{index}]"
        found = _problems(values, name, key, seen, index)
        if isinstance(found, Draft):
            read.drafts.append(found)
        else:
            read.problems += found
            read.rejected += 1
    return read


def import_articles(path: Path, store: Callable[[], Engine]) -> ArticleImport:
    """Saves the valid articles of `path`, by "import <file name>". The store is opened
    only once the file could be read, so a file that cannot be leaves no new workspace."""
    read = read_articles(path)
    kb = KnowledgeBase(store())
    added = sum(kb.save(draft, by=f"import {path.name}")[1] for draft in read.drafts)
    return ArticleImport(added, len(read.drafts) - added, read.rejected, read.problems)


def _problems(
    values: object, name: str, key: str, seen: dict[tuple[str, str], int], index: int
) -> Draft | list[BadConfig]:
    if not isinstance(values, Mapping):
        return [BadConfig(name, key, "must be a table with title, body, category, language")]
    try:
        draft = draft_from(values)
    except InvalidArticle as exc:
        return [BadConfig(name, f"{key}.{f}", problem) for f, problem in exc.problems]
    first = seen.setdefault((draft.language, draft.title), index)
    if first != index:
        problem = f"articles[{first}] has the same title in {draft.language}"
        return [BadConfig(name, f"{key}.title", problem)]
    return draft
