"""The live server: FastAPI over the store (and, as it lands, the engine)."""

from callboard.server.app import build_app
from callboard.server.demo import Demo
from callboard.server.launch import Prepared, ServeOptions, prepare, switchboard, uvicorn_config
from callboard.server.openings import Opening

__all__ = [
    "Demo",
    "Opening",
    "Prepared",
    "ServeOptions",
    "build_app",
    "prepare",
    "switchboard",
    "uvicorn_config",
]
