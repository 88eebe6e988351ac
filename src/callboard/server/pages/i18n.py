"""UI text in the hotlines' languages, and which one a request gets.

Catalogs are flat JSON files, `web/locales/<lang>/<screen>.json`, one per
screen so that screens can be written and translated independently; a
language's catalog is all of its files merged. English is the reference:
a key missing elsewhere falls back to it (and tests/e2e/test_catalogs.py
fails the build, so the fallback is a safety net, not a habit).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import Request

WEB = Path(__file__).resolve().parents[2] / "web"
LOCALES = WEB / "locales"
LANGUAGES = {"en": "English", "ru": "Русский", "uk": "Українська", "zh": "简体中文"}
DEFAULT = "en"
LANG_COOKIE = "callboard_lang"


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    if lang != DEFAULT:
        merged.update(catalog(DEFAULT))
    for path in sorted((LOCALES / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


@cache
def catalog_json(lang: str) -> str:
    """The catalog as the JSON every page embeds for its scripts, dumped once per language."""
    return json.dumps(catalog(lang), ensure_ascii=False)


def choose(request: Request) -> str:
    """`?lang=` first (the switcher), then the remembered choice, then the browser's list."""
    for asked in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LANGUAGES:
            return asked
    return negotiate(request.headers.get("accept-language", ""))


def negotiate(header: str) -> str:
    """The best language of an Accept-Language header that we have, by q-value."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else DEFAULT
