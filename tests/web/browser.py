"""Steps the browser tests share: signing in, waiting, the axe-core scan and screenshots."""

import json
from pathlib import Path

from playwright.async_api import Page

from tests.api.builders import PASSWORD, Account
from tests.web.conftest import SCREENSHOTS

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


async def sign_in(page: Page, account: Account) -> None:
    """Sign in through the form and land on the role's start page."""
    await page.goto("/aanmelden")
    await page.get_by_label("E-mailadres").fill(account.email)
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_url(lambda url: "/aanmelden" not in url)


async def serious_findings(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands (WCAG 2 A/AA)."""
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
        "'wcag21a', 'wcag21aa', 'best-practice']}))"
    )
    violations = json.loads(result)["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in violations
        if v["impact"] in SERIOUS
    ]


async def check_page(page: Page, name: str) -> None:
    """Screenshot the page to .stack/screenshots/<name>.png and assert axe finds nothing serious
    and no script error or CSP violation happened."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    findings = await serious_findings(page)
    assert findings == [], f"{name}: {findings}"
    assert page.problems == [], f"{name}: {page.problems}"  # type: ignore[attr-defined]
