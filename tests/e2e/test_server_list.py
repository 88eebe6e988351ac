"""The screens' server list (web/static/js/servers.js): when the page's server dies, the
page moves to the standby that took over, keeping its path."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.fixtures.serve_process import serving


def test_a_page_moves_to_the_server_that_took_over(page: Page, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'callboard.db'}"
    with (
        serving(url, tmp_path) as first,
        serving(url, tmp_path, "--standby", wanted="standby") as second,
    ):
        page.goto(f"{first.base}/login?next=/wallboard")
        moved = page.evaluate(
            """async (servers) => {
                const { activeServer, followActive } = await import("/static/js/servers.js");
                followActive({ servers, periodMs: 100 });
                return activeServer(servers);
            }""",
            [first.base, second.base],
        )
        assert moved == first.base
        first.kill()
        page.wait_for_url(f"{second.base}/login?next=/wallboard", timeout=30_000)
