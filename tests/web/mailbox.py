"""Reading the mails the running notifier sent to the mail sink, the way a person opens their
mailbox: wait for the mail, take the link in it. Also signing in as someone whose password is
not the builders' one, and the two screen sizes the journeys run at."""

import asyncio
from email.message import EmailMessage

from playwright.async_api import BrowserContext, Page, ViewportSize

from tests.api.mail import link_in
from tests.mail_sink import SmtpServer
from tests.web.conftest import new_page

SCREENS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


async def mail_in_sink(smtp: SmtpServer, address: str, subject: str) -> EmailMessage:
    """The first mail to ``address`` whose subject holds ``subject``; fail after two minutes."""
    async with asyncio.timeout(120):
        while True:
            found = [m for m in smtp.sink.to(address) if subject in str(m["Subject"])]
            if found:
                return found[0]
            await asyncio.sleep(0.2)


async def mailed_link(smtp: SmtpServer, address: str, subject: str, path: str) -> str:
    """The path and query of the link to ``path`` in the mail awaited as ``mail_in_sink``."""
    return link_in(await mail_in_sink(smtp, address, subject), path)


async def screen_page(context: BrowserContext, screen: str) -> Page:
    """A checked page (``new_page``) at the size of ``screen`` (``SCREENS``)."""
    page = await new_page(context)
    await page.set_viewport_size(SCREENS[screen])
    return page


async def sign_in_with(page: Page, email: str, password: str) -> None:
    """Sign in through the form with ``password`` and land on the role's start page."""
    await page.goto("/aanmelden")
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord").fill(password)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_url(lambda url: "/aanmelden" not in url)
