"""Importing this module registers the built-in importers in `IMPORTERS`."""

from callboard.records import anonymous_bank

__all__ = ["anonymous_bank"]
