"""`backcare chat --web` in a real headless Chromium: a check from /start to its result,
a diary chart shown inline, a PDF report downloaded.

Runs whenever Debian's chromium and chromium-driver are installed (.ci/run installs
them); skipped, saying so, where they are not.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_triage_flow import SELF_CARE_PATH

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
WAIT = 20  # seconds a step may take before the test fails (a slow CI machine)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Chromium: apt-get install chromium chromium-driver (.ci/run does)",
)


@pytest.fixture
def web_chat(tmp_path):
    env = {**os.environ, "BACKCARE_DB": str(tmp_path / "backcare.db")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--web", "--language", "en"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline()  # type: ignore[union-attr]
        assert "http://127.0.0.1:" in first, first + proc.stderr.read()  # type: ignore[union-attr]
        yield first.split("open ")[1].split()[0]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=900,1000"):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, what: str):
    """Until `condition` holds; a message redrawn meanwhile (an edit) is looked up again."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    waiting = WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException,))
    return waiting.until(lambda d: condition(d), message=what)


def last_bot_with_buttons(driver):
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, ".msg.bot:has(.buttons)")
    return found[-1] if found else None


def tap(driver, label: str) -> None:
    """Click the button with this label ("Save" for "✅ Save") on the newest message that
    has buttons."""
    from selenium.webdriver.common.by import By

    before = driver.execute_script("return window.drawn")

    def pressed(d) -> bool:
        message = last_bot_with_buttons(d)
        if message is None:
            return False
        for candidate in message.find_elements(By.CSS_SELECTOR, ".buttons button"):
            if candidate.text == label or label in candidate.text.split(" "):
                candidate.click()
                return True
        return False

    wait(driver, pressed, f"a button {label!r}")
    wait(driver, lambda d: d.execute_script("return window.drawn") > before, f"{label!r} answered")


def type_in(driver, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.ID, "text")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def page_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "log").text


def test_a_check_a_chart_and_a_pdf_in_a_real_browser(web_chat, browser):
    from selenium.webdriver.common.by import By

    browser.get(web_chat)
    wait(browser, lambda d: "not a doctor" in page_text(d), "the welcome")
    assert browser.find_element(By.CSS_SELECTOR, ".msg.bot b").text  # formatting, not tags
    assert "<b>" not in page_text(browser)
    tap(browser, "Yes, keep my notes")
    wait(browser, lambda d: "What would you like to do?" in page_text(d), "the menu")

    type_in(browser, "/check")
    for number, label in enumerate(SELF_CARE_PATH, 1):
        wait(browser, lambda d, n=number: f"Question {n} of about" in page_text(d), f"Q{number}")
        tap(browser, label)
    wait(browser, lambda d: "Self-care is fine for now" in page_text(d), "the result")

    type_in(browser, "/log")
    for label in ("Not now", "4", "Save"):  # the time zone is asked at the first entry
        tap(browser, label)
    wait(browser, lambda d: "Saved." in page_text(d), "the diary entry saved")
    type_in(browser, "/diary")
    chart = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".msg.bot img"), "the chart")[
        -1
    ]
    wait(browser, lambda d: d.execute_script("return arguments[0].naturalWidth", chart) > 0, "png")

    type_in(browser, "/export")
    tap(browser, "Report without notes")
    link = wait(
        browser,
        lambda d: [a for a in d.find_elements(By.CSS_SELECTOR, "a.download") if ".pdf" in a.text],
        "the PDF",
    )[-1]
    link.click()
    downloads: Path = browser.downloads
    pdf = wait(browser, lambda d: [p for p in downloads.glob("*.pdf") if p.stat().st_size], "dl")
    assert pdf[0].read_bytes().startswith(b"%PDF")
    assert not list(downloads.glob("*.crdownload"))


def test_only_telegrams_formatting_reaches_the_page():
    from bot.sim.web_html import render

    assert render("<b>Hi</b> &lt;script&gt; & <i>you</i>", "HTML") == (
        "<b>Hi</b> &lt;script&gt; &amp; <i>you</i>"
    )
    assert render('<a href="javascript:alert(1)">x</a>', "HTML") == "x"
    assert render('<a href="https://nhs.uk/?a=1&amp;b=2">NHS</a>', "HTML") == (
        '<a href="https://nhs.uk/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">NHS</a>'
    )
    assert render('<span class="tg-spoiler">x</span>', "HTML") == '<span class="spoiler">x</span>'
    assert render("<b>not formatting</b>", None) == "&lt;b&gt;not formatting&lt;/b&gt;"


async def test_other_sites_cannot_press_or_send(harness, alex, tmp_path):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.sim.web import WebChat

    chat = WebChat(harness, alex, tmp_path / "chat.json")
    async with TestClient(TestServer(chat.app(), host="127.0.0.1")) as client:
        chat.port = client.port
        sent = len(alex.chat.messages)
        foreign = await client.post(
            "/send", json={"text": "/menu"}, headers={"Origin": "http://evil.example"}
        )
        assert foreign.status == 403
        form = await client.post("/send", data={"text": "/menu"})  # what a form on a site sends
        assert form.status == 415
        assert len(alex.chat.messages) == sent
        own = await client.post(
            "/send", json={"text": "/menu"}, headers={"Origin": f"http://127.0.0.1:{client.port}"}
        )
        assert own.status == 200
        assert "What would you like to do?" in alex.last_text()
        menu = alex.last_message()
        pressed = await client.post("/press", json={"message_id": menu.message_id, "row": 99})
        assert pressed.status == 400
