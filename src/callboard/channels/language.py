"""Which of the languages we answer in (en, ru, uk, zh) a customer wrote in.

A declared Content-Language wins; otherwise the letters decide: Han characters
are Chinese, Cyrillic is Ukrainian when it has a letter Russian lacks (і ї є ґ)
and Russian otherwise, Latin is English. Crude, but an acknowledgement in the
right alphabet is what matters, and nothing here needs a model or a dictionary.
"""

from __future__ import annotations

LANGUAGES = ("en", "ru", "uk", "zh")
UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")


def declared(header: str | None) -> str | None:
    """The first of LANGUAGES a Content-Language header names ("uk-UA, en" -> "uk")."""
    for tag in (header or "").split(","):
        base = tag.strip().lower().split("-")[0]
        if base in LANGUAGES:
            return base
    return None


def guess(text: str) -> str | None:
    """The language of `text` by its letters; None when it has none to go by."""
    han = cyrillic = latin = 0
    ukrainian = False
    for char in text[:5000]:
        if "\u4e00" <= char <= "\u9fff":
            han += 1
        elif "\u0400" <= char <= "\u04ff":
            cyrillic += 1
            ukrainian = ukrainian or char in UKRAINIAN_ONLY
        elif char.isascii() and char.isalpha():
            latin += 1
    if han and han * 3 >= cyrillic + latin:
        return "zh"
    if cyrillic > latin:
        return "uk" if ukrainian else "ru"
    return "en" if latin else None
