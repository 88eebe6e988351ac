from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from callboard.store import open_store
from callboard.store.migrate import current_revision, downgrade, head_revision, upgrade
from callboard.store.schema import metadata


def test_migrations_build_exactly_the_declared_schema(store: Engine) -> None:
    with store.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert current_revision(store) == head_revision()


def test_downgrade_to_base_and_back(store: Engine) -> None:
    downgrade(store, "base")
    assert set(inspect(store).get_table_names()) <= {"alembic_version"}
    upgrade(store)
    assert {"imports", "events", "cases", "users", "journal", "snapshots"} <= set(
        inspect(store).get_table_names()
    )


def test_opening_twice_is_harmless(store_url: str) -> None:
    first = open_store(store_url)
    second = open_store(store_url)
    assert current_revision(second) == head_revision()
    first.dispose()
    second.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_revision_0005_adds_and_drops_the_journal_time_index(store: Engine) -> None:
    def journal_indexes() -> set[str | None]:
        return {ix["name"] for ix in inspect(store).get_indexes("journal")}

    assert "ix_journal_at" in journal_indexes()
    downgrade(store, "0004")
    assert "ix_journal_at" not in journal_indexes()
    upgrade(store)
    assert "ix_journal_at" in journal_indexes()
