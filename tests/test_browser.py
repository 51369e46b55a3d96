"""The pages in a real browser: headless Chromium driven by Selenium, against the real service.

Screenshots go to ``test-artifacts/``. Also checked here: forms work with JavaScript off,
every form field has a label, pictures have text alternatives, and text has enough contrast.
Needs the Debian packages ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from kg.settings import PROJECT_ROOT
from tests.conftest import RunningService

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
# Flags for a closed network, as root, with a fresh profile (see the README).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


def start_browser(profile: Path, *, javascript: bool = True) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if not javascript:
        options.add_argument("--blink-settings=scriptEnabled=false")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
    driver = start_browser(profile)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser_without_js() -> Iterator[WebDriver]:
    profile = Path(tempfile.mkdtemp(prefix="kg-chromium-nojs-"))
    driver = start_browser(profile, javascript=False)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def shot(driver: WebDriver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # The whole page, not only the window.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 800), 4000))
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    assert path.stat().st_size > 10_000
    return path


def wait_for(driver: WebDriver, by: str, what: str):  # type: ignore[no-untyped-def]
    return WebDriverWait(driver, 15).until(EC.presence_of_element_located((by, what)))


def test_search_putin_see_his_pyongyang_visit(browser: WebDriver, service: RunningService) -> None:
    browser.get(service.url + "/")
    assert "Diplomatic-visit knowledge graph" in browser.title
    shot(browser, "01-home")
    box = browser.find_element(By.ID, "home-search")
    box.send_keys("Putin")
    box.submit()
    wait_for(browser, By.CSS_SELECTOR, "ol.hits")
    shot(browser, "02-search-putin")
    browser.find_element(By.LINK_TEXT, "Vladimir Putin").click()
    heading = wait_for(browser, By.TAG_NAME, "h1")
    assert heading.text == "Vladimir Putin"
    visits = browser.find_element(By.CSS_SELECTOR, "table.visits")
    assert "Pyongyang" in visits.text
    marks = [m.text for m in visits.find_elements(By.TAG_NAME, "mark")]
    assert "Vladimir Putin touched down in Pyongyang" in marks
    wikidata = browser.find_element(By.LINK_TEXT, "Q7747")
    assert wikidata.get_attribute("href") == "https://www.wikidata.org/wiki/Q7747"
    shot(browser, "03-putin")
    # On to the timeline of his visits.
    browser.find_element(By.PARTIAL_LINK_TEXT, "Timeline of Vladimir Putin").click()
    svg = wait_for(browser, By.CSS_SELECTOR, "figure#timeline svg")
    assert len(svg.find_elements(By.TAG_NAME, "circle")) == 2
    assert svg.size["width"] > 300 and svg.size["height"] > 50
    shot(browser, "04-timeline-putin")


def test_run_a_named_query_from_the_query_page(browser: WebDriver, service: RunningService) -> None:
    browser.get(service.url + "/query")
    browser.find_element(By.LINK_TEXT, "Visits to a place").click()
    place = wait_for(browser, By.ID, "param-place")
    place.send_keys("Pyongyang")
    place.submit()
    table = wait_for(browser, By.ID, "results-table")
    assert "Vladimir Putin" in table.text
    link = table.find_element(By.LINK_TEXT, "Vladimir Putin")
    assert link.get_attribute("href").endswith("/id/person/vladimir-putin")
    shot(browser, "05-query-visits-to")
    # The editor's own script: Ctrl+Enter runs what is in the box.
    editor = browser.find_element(By.ID, "query-text")
    editor.clear()
    editor.send_keys("SELECT ?label WHERE { ?s a <https://w3id.org/diplovisit/ontology#State> ;")
    editor.send_keys(" <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label")
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    WebDriverWait(browser, 15).until(lambda d: "query=" in d.current_url)
    table = wait_for(browser, By.ID, "results-table")
    assert "North Korea" in table.text and "Russia" in table.text


def test_network_picture_renders(browser: WebDriver, service: RunningService) -> None:
    browser.get(service.url + "/network")
    svg = wait_for(browser, By.CSS_SELECTOR, "figure#network svg")
    assert svg.find_elements(By.TAG_NAME, "path")
    shot(browser, "06-network")


def test_forms_work_without_javascript(
    browser_without_js: WebDriver, service: RunningService
) -> None:
    b = browser_without_js
    b.get(service.url + "/")
    box = b.find_element(By.ID, "site-search")
    box.send_keys("Kim")
    box.submit()
    wait_for(b, By.CSS_SELECTOR, "ol.hits")
    assert "Kim Jong Un" in b.find_element(By.CSS_SELECTOR, "ol.hits").text
    b.get(service.url + "/query")
    editor = b.find_element(By.ID, "query-text")
    editor.send_keys("ASK { ?s ?p ?o }")
    editor.submit()
    assert "yes (true)" in wait_for(b, By.ID, "boolean-result").text
    shot(b, "07-no-javascript-ask")


PAGES = (
    "/",
    "/search?q=Putin",
    "/id/person/vladimir-putin",
    "/id/state/north-korea",
    "/id/visit/vladimir-putin/pyongyang/2024-11-06",
    "/id/article/000_fb9de8acf85c790b",
    "/query?name=visits-to&place=Pyongyang",
    "/timeline?leader=Vladimir%20Putin",
    "/network",
)

# Collects, for every visible element with its own text: its colour, the first opaque
# background behind it, and its font size and weight.
TEXT_COLOURS = """
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
for (let el = walker.currentNode; el; el = walker.nextNode()) {
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || el.closest('svg') || el.closest('.visually-hidden')) continue;
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) continue;
  const style = getComputedStyle(el);
  let bg = 'rgba(0, 0, 0, 0)';
  for (let a = el; a; a = a.parentElement) {
    const c = getComputedStyle(a).backgroundColor;
    if (!c.endsWith(', 0)') && c !== 'transparent') { bg = c; break; }
  }
  out.push([el.tagName, style.color, bg, parseFloat(style.fontSize), style.fontWeight,
            el.textContent.trim().slice(0, 40)]);
}
return out;
"""

# Every form field, its accessible label; every image and picture, its text alternative.
LABELS = """
const problems = [];
for (const f of document.querySelectorAll('input, select, textarea')) {
  if (f.type === 'hidden') continue;
  const named = (f.labels && f.labels.length) || f.getAttribute('aria-label')
    || f.getAttribute('aria-labelledby');
  if (!named) problems.push('no label: ' + f.outerHTML.slice(0, 80));
}
for (const img of document.querySelectorAll('img')) {
  if (!img.hasAttribute('alt')) problems.push('no alt: ' + img.outerHTML.slice(0, 80));
}
for (const svg of document.querySelectorAll('svg')) {
  const ids = (svg.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
  const text = ids.map(i => (document.getElementById(i) || {}).textContent || '').join('');
  if (svg.getAttribute('role') !== 'img' || !text.trim()) problems.push('svg without a name');
}
for (const a of document.querySelectorAll('a, button')) {
  if (!a.textContent.trim() && !a.getAttribute('aria-label') && !a.querySelector('title'))
    problems.push('empty link or button: ' + a.outerHTML.slice(0, 80));
}
if (!document.documentElement.lang) problems.push('no lang on <html>');
return problems;
"""


def _rgb(css: str) -> tuple[float, float, float, float]:
    parts = css[css.index("(") + 1 : css.index(")")].split(",")
    r, g, b = (float(p) for p in parts[:3])
    a = float(parts[3]) if len(parts) > 3 else 1.0
    return r, g, b, a


def luminance(r: float, g: float, b: float) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    """The WCAG contrast ratio of a text colour over an opaque background.

    >>> round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1)
    21.0
    """
    br, bgr, bb, _ = _rgb(bg) if "(" in bg else (255, 255, 255, 1)
    fr, fgr, fb, fa = _rgb(fg)
    # Blend a translucent text colour over its background.
    fr, fgr, fb = (fa * f + (1 - fa) * b for f, b in ((fr, br), (fgr, bgr), (fb, bb)))
    l1, l2 = sorted((luminance(fr, fgr, fb), luminance(br, bgr, bb)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def test_pages_are_accessible(browser: WebDriver, service: RunningService) -> None:
    for path in PAGES:
        browser.get(service.url + path)
        wait_for(browser, By.TAG_NAME, "main")
        assert browser.execute_script(LABELS) == [], path
        checked = 0
        for tag, fg, bg, size, weight, sample in browser.execute_script(TEXT_COLOURS):
            if bg == "rgba(0, 0, 0, 0)":
                bg = "rgb(255, 255, 255)"  # the canvas behind the page
            large = size >= 24 or (size >= 18.66 and int(weight) >= 700)
            ratio = contrast(fg, bg)
            assert ratio >= (3.0 if large else 4.5), (path, tag, sample, fg, bg, round(ratio, 2))
            checked += 1
        assert checked > 10, path
        headings = browser.find_elements(By.TAG_NAME, "h1")
        assert len(headings) == 1 and headings[0].text, path
        if path.startswith("/id/article/"):
            shot(browser, "08-article")
