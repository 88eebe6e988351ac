"""The knowledge base in Chromium: Russian and Chinese search, a supervisor's edit, and the
deflection a caller's "this answered my question" adds to the supervisor's statistics."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site

ARTICLES: list[dict[str, Any]] = [
    {"language": "en", "category": "heating", "title": "No heating — what to check",
     "body": "Open the radiator valves.\n\nBleed a radiator that is cold at the top."},
    {"language": "ru", "category": "heating", "title": "Нет отопления — что проверить",
     "body": "Откройте краны на радиаторах.\n\nСпустите воздух из холодного радиатора."},
    {"language": "ru", "category": "billing", "title": "Как оплатить счёт",
     "body": "Оплатить счёт можно в банке или на сайте."},
    {"language": "zh", "category": "heating", "title": "没有暖气怎么办",
     "body": "请先打开暖气片阀门。\n\n如果暖气片上冷下热，请排气。"},
    {"language": "zh", "category": "billing", "title": "如何缴纳账单",
     "body": "您可以在银行或网站缴纳账单。"},
]  # fmt: skip


def add_articles(site: Site) -> dict[str, int]:
    ids = {}
    for article in ARTICLES:
        added = site.as_("sue").post("/api/v1/kb/articles", json={**article, "published": True})
        assert added.status_code == 201, added.text
        ids[article["title"]] = added.json()["article_id"]
    return ids


def test_agents_find_articles_in_russian_and_chinese(
    site: Site, new_page: Callable[..., Page], shot: Callable[[Page, str], Path]
) -> None:
    add_articles(site)
    page = new_page(locale="ru-RU")
    site.sign_in(page, "ann", "kb")
    expect(page.get_by_role("heading", level=1)).to_have_text("База знаний")
    page.get_by_label("Что искать").fill("отопления радиатор")
    page.get_by_role("button", name="Найти", exact=True).click()
    results = page.locator("#kb-results")
    expect(results.get_by_role("listitem")).to_have_count(1)
    results.get_by_role("button", name="Нет отопления — что проверить").click()
    expect(page.locator("#kb-article")).to_contain_text("Спустите воздух")
    shot(page, "russian")

    page.get_by_label("Язык", exact=True).select_option("zh")  # the interface language
    expect(page.get_by_role("heading", level=1)).to_have_text("知识库")
    page.get_by_label("关键词").fill("暖气")
    page.get_by_label("文章语言").select_option("zh")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(results.get_by_role("listitem")).to_have_count(1)
    results.get_by_role("button", name="没有暖气怎么办").click()
    expect(page.locator("#kb-article")).to_contain_text("请先打开暖气片阀门")
    page.get_by_label("文章类别").fill("billing")
    page.get_by_label("关键词").fill("")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results).to_contain_text("如何缴纳账单")
    shot(page, "chinese")


def test_a_supervisor_edits_an_article_and_sees_a_deflection(
    site: Site, new_page: Callable[..., Page], shot: Callable[[Page, str], Path]
) -> None:
    ids = add_articles(site)
    caller = new_page()
    caller.goto(f"{site.url}/widget?queue=heating")
    caller.get_by_role("searchbox", name="Search our help articles").fill("radiator")
    caller.get_by_role("button", name="Search").click()
    caller.get_by_role("button", name="No heating — what to check").click()
    caller.get_by_role("button", name="This answered my question").click()
    expect(caller.get_by_text("Glad it helped. Thank you!")).to_be_visible()

    page = new_page()
    site.sign_in(page, "sue", "kb")
    stats = page.get_by_role("table", name="Self-service deflection")
    total = stats.locator("tfoot tr")
    expect(total).to_contain_text("Total")
    expect(total.locator("td").nth(2)).to_have_text("1")  # helped themselves
    expect(total.locator("td").nth(4)).to_have_text("100%")

    page.get_by_label("Words to find").fill("radiator")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("#kb-results").get_by_role("button", name="No heating — what to check").click()
    page.get_by_role("button", name="Edit this article").click()
    expect(page.get_by_label("Title")).to_have_value("No heating — what to check")
    page.get_by_label("Title").fill("No heating — check before you call")
    page.get_by_label("Text").fill("Open the radiator valves.\n\nCall us if the flat stays cold.")
    page.get_by_role("button", name="Save article").click()
    expect(page.locator("#kb-article")).to_contain_text("Call us if the flat stays cold.")
    expect(page.locator("#kb-article")).to_contain_text("by sue")
    shot(page, "edited")
    page.get_by_role("button", name="New article").click()
    expect(page.get_by_label("Title")).to_have_value("")
    page.get_by_label("Title").fill("Гаряча вода: графік відключень")
    page.get_by_label("Text").fill("Планові відключення гарячої води — на нашому сайті.")
    page.get_by_label("Category", exact=True).fill("hot_water")
    page.get_by_label("Language of this article").select_option("uk")
    page.get_by_label("Published (callers and agents see it)").uncheck()
    page.get_by_role("button", name="Save article").click()
    expect(page.locator("#kb-article")).to_contain_text("Draft: callers and agents do not see it")
    drafts = site.as_("ann").get("/api/v1/kb/articles", params={"q": "графік"}).json()
    assert drafts["articles"] == []  # agents see published articles only
    article_id = ids["No heating — what to check"]
    saved = site.as_("ann").get(f"/api/v1/kb/articles/{article_id}").json()
    assert saved["title"] == "No heating — check before you call"
    assert saved["updated_by"] == "sue"
