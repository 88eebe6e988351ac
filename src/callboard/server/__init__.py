"""The live server: FastAPI over the store (and, as it lands, the engine)."""

from callboard.server.app import build_app
from callboard.server.demo import Demo
from callboard.server.launch import ServeOptions, prepare, switchboard

__all__ = [
    "Demo",
    "ServeOptions",
    "build_app",
    "prepare",
    "switchboard",
]
