"""Every UI string exists in every language, and every placeholder survives translation."""

from __future__ import annotations

import json
import re

import pytest

from callboard.server.pages.i18n import DEFAULT, LANGUAGES, LOCALES, negotiate

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def keys(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {DEFAULT}))
def test_catalog_is_complete(lang: str) -> None:
    reference, translated = keys(DEFAULT), keys(lang)
    assert sorted(set(reference) - set(translated)) == [], f"missing in {lang}"
    assert sorted(set(translated) - set(reference)) == [], f"unknown keys in {lang}"
    for key, text in reference.items():
        assert set(PLACEHOLDER.findall(translated[key])) == set(PLACEHOLDER.findall(text)), key


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_screen_has_its_file_in_every_language(lang: str) -> None:
    screens = {path.name for path in (LOCALES / DEFAULT).glob("*.json")}
    assert {path.name for path in (LOCALES / lang).glob("*.json")} == screens


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("de-DE,de;q=0.9,uk;q=0.5,zh-CN;q=0.7", "zh"),
        ("zh-CN", "zh"),
        ("fr-FR", "en"),
        ("", "en"),
        ("uk;q=oops,ru;q=0.1", "ru"),
        ("ru;q=0", "en"),
    ],
)
def test_negotiate(header: str, expected: str) -> None:
    assert negotiate(header) == expected
