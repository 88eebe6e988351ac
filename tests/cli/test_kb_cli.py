"""`callboard kb import` through Typer's runner, on a real workspace folder."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from callboard.cli import kb as kb_cli
from callboard.cli.context import State
from callboard.store import open_store
from callboard.store.kb import KnowledgeBase
from callboard.workspace import Workspace
from tests.store.test_kb import SEED


def run(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    app = typer.Typer()

    @app.callback()
    def options(ctx: typer.Context) -> None:
        ctx.obj = State(workspace=workspace)

    kb_cli.register(app)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _kb(workspace: Workspace) -> KnowledgeBase:
    return KnowledgeBase(open_store(workspace.db_url))


def test_the_seed_file_imports_and_a_second_import_updates_in_place(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    code, out, _ = run(workspace, "kb", "import", str(SEED))
    assert code == 0 and "24 added, 0 updated, 0 rejected" in out
    code, out, _ = run(workspace, "kb", "import", str(SEED))
    assert code == 0 and "0 added, 24 updated, 0 rejected" in out
    kb = _kb(workspace)
    for language in ("en", "ru", "uk", "zh"):
        assert len(kb.search("", language=language, limit=100)) == 6
    assert kb.search("", language="zh", limit=1)[0].article.updated_by == "import articles.yaml"


def test_bad_articles_are_named_and_the_good_ones_kept(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(
        "articles:\n"
        "  - {title: Gas smell, body: Call 104., category: emergency, language: en}\n"
        "  - {title: No body, category: heating, language: fr}\n"
        "  - just a string\n"
        "  - {title: Gas smell, body: Again., category: emergency, language: en}\n"
        "  - {title: Draft, body: b, category: c, language: uk, published: maybe}\n",
        encoding="utf-8",
    )
    workspace = Workspace(tmp_path / "w")
    code, out, err = run(workspace, "kb", "import", str(file))
    assert code == 1 and "1 added, 0 updated, 4 rejected" in out
    flat = " ".join(err.split())
    for expected in (
        f"{file}: articles[1].body: missing",
        f"{file}: articles[1].language: must be one of en, ru, uk, zh, got 'fr'",
        f"{file}: articles[2]: must be a table",
        f"{file}: articles[3].title: articles[0] has the same title in en",
        f"{file}: articles[4].published: must be true or false",
    ):
        assert expected in flat, flat
    (kept,) = _kb(workspace).search("", limit=10)
    assert kept.article.title == "Gas smell" and kept.article.body == "Call 104."


def test_toml_files_and_unusable_files(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "w")
    toml = tmp_path / "kb.toml"
    toml.write_text(
        '[[articles]]\ntitle = "没有暖气"\nbody = "先检查阀门。"\ncategory = "heating"\n'
        'language = "zh"\npublished = false\n',
        encoding="utf-8",
    )
    code, out, _ = run(workspace, "kb", "import", str(toml))
    assert code == 0 and "1 added" in out
    assert _kb(workspace).search("暖气", published_only=False)[0].article.published is False
    not_a_list = tmp_path / "x.yaml"
    not_a_list.write_text("articles: 3\n", encoding="utf-8")
    code, _, err = run(workspace, "kb", "import", str(not_a_list))
    assert code == 2 and f"{not_a_list}: articles: must be a list" in " ".join(err.split())
    code, _, err = run(workspace, "kb", "import", str(tmp_path / "missing.yaml"))
    assert code == 2 and "cannot read" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("articles: [\n", encoding="utf-8")
    code, _, err = run(workspace, "kb", "import", str(broken))
    assert code == 2 and "not valid YAML" in err
