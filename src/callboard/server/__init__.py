"""The live server: FastAPI over the store (and, as it lands, the engine)."""

from callboard.server.app import build_app

__all__ = ["build_app"]
