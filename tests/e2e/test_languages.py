"""Switching the wallboard and the console to Russian and to Chinese translates them whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site

# Per language: its name in the switcher, the wallboard heading, a queue figure, the
# console heading, the console's agent-state column, an agent's state as the console words it.
LANGUAGES = {
    "ru": ("Русский", "Табло", "В очереди", "Пульт супервизора", "Состояние", "Не в системе"),
    "zh": ("简体中文", "监控大屏", "排队中", "主管控制台", "状态", "已登出"),
}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_switching_language_on_the_wallboard_and_console(
    site: Site, page: Page, shot: Callable[[Page, str], Path], lang: str
) -> None:
    name, wallboard, waiting, console, state, logged_out = LANGUAGES[lang]
    site.sign_in(page, "sue", "wallboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wallboard")
    page.get_by_label("Language").select_option(label=name)
    expect(page.get_by_role("heading", level=1)).to_have_text(wallboard)
    assert page.locator("html").get_attribute("lang") == lang
    heating = page.get_by_role("region", name="heating")
    expect(heating.locator('[data-figure="waiting"] dt')).to_have_text(waiting)
    # Script-made text is translated too: the live line and the mode badge.
    expect(heating.locator('[data-field="mode"]')).not_to_have_text("Open")
    expect(page.locator("#wb-status")).not_to_contain_text("Live")
    shot(page, "wallboard")

    page.get_by_role("link", name=console).click()  # the choice is remembered
    expect(page.get_by_role("heading", level=1)).to_have_text(console)
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.get_by_role("columnheader", name=state, exact=True)).to_be_visible()
    expect(page.get_by_role("row", name="ann").get_by_role("cell").first).to_have_text(logged_out)
    shot(page, "console")
