"""`callboard kb import FILE`: load knowledge-base articles from a TOML or YAML file.

The file holds a list `articles`, each with title, body, category, language
(en, ru, uk, zh) and optionally published (default true). A bad article is
reported as `file: articles[i].field: problem` and skipped; the good ones are
saved. An article with the language and title of a stored one replaces it, so
importing a file again updates the knowledge base instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from callboard.cli.context import console, errors, state
from callboard.config import read_config
from callboard.errors import BadConfig
from callboard.store import open_store
from callboard.store.kb import Draft, InvalidArticle, KnowledgeBase, draft_from

kb_app = typer.Typer(help="The knowledge base agents and callers search.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")


@dataclass
class ArticleFile:
    """What a file held: the valid articles, and each problem of the rejected ones."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[BadConfig] = field(default_factory=list)
    rejected: int = 0


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


@kb_app.command("import")
def import_articles(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .toml, .yaml or .yml file with `articles`.")],
) -> None:
    """Add or update articles from a file; bad articles are reported and skipped."""
    try:
        read = read_articles(file)
    except BadConfig as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    for problem in read.problems:
        errors.print(f"[red]error:[/red] {problem}")
    kb = KnowledgeBase(open_store(state(ctx).workspace.ensure().db_url))
    added = sum(kb.save(draft, by=f"import {file.name}")[1] for draft in read.drafts)
    console.print(
        f"{file}: {added} added, {len(read.drafts) - added} updated, {read.rejected} rejected"
    )
    if read.rejected:
        raise typer.Exit(1)
