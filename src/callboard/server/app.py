"""Building the FastAPI app: one function, used by `callboard serve` and by the tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy import Engine

from callboard import __version__
from callboard.server import errors
from callboard.server.clock import Clock, wall_clock
from callboard.server.routes import cases
from callboard.store.cases import CaseStore, SlaPolicies
from callboard.store.users import UserStore


@dataclass
class ServerConfig:
    policies: SlaPolicies = field(default_factory=SlaPolicies)
    clock: Clock = wall_clock


def build_app(engine: Engine, config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig()
    app = FastAPI(
        title="Callboard",
        version=__version__,
        description="Contacts, agents, cases and caller status for a live contact center.",
    )
    app.state.engine = engine
    app.state.clock = config.clock
    app.state.users = UserStore(engine)
    app.state.cases = CaseStore(engine, config.policies)
    errors.install(app)
    app.include_router(cases.router)

    @app.get("/api/v1/health", tags=["ops"])
    def health() -> dict[str, object]:
        return {"ok": True, "version": __version__}

    return app
