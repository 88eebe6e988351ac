"""Importing this module registers the built-in importers in `IMPORTERS`."""

from callboard.records import anonymous_bank, asterisk_queue_log, csv_mapped, freeswitch_callcenter

__all__ = ["anonymous_bank", "asterisk_queue_log", "csv_mapped", "freeswitch_callcenter"]
