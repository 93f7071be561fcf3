"""The view in a real browser: Debian's headless Chromium with the network blocked (scripts/setup-browser.sh)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from govkg import build, bundled_report, load, to_networkx
from govkg.view import render_html

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="chromium and chromedriver from Debian are needed: bash scripts/setup-browser.sh"
)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402 - after importorskip

from test_view import EVIL, EVIL2, small_graph  # noqa: E402

ALLOWED = ("file:", "data:", "about:", "chrome:", "chrome-extension:", "devtools:", "blob:")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chrome-profile")
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        "--window-size=1400,900", f"--user-data-dir={profile}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    # every alert is recorded instead of shown, so a script that runs is seen
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "window.__alerts=[];window.alert=function(m){window.__alerts.push(String(m));};"},
    )
    yield driver
    driver.quit()


def open_page(driver, page: str, path: Path) -> None:
    path.write_text(page, encoding="utf-8")
    driver.get_log("performance")  # drop earlier entries
    driver.get(path.as_uri())
    deadline = time.time() + 20
    while time.time() < deadline:
        if driver.execute_script("return !!(window.govkgView && window.govkgView.state.drawn && window.govkgView.state.stabilized)"):
            return
        time.sleep(0.1)
    raise AssertionError("the view did not finish drawing")


def requests(driver) -> set[str]:
    out = set()
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            out.add(msg["params"]["request"]["url"])
    return out


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("graph")
    build([bundled_report()], out)
    return out / "index.html"


def test_bundled_view_loads_offline_and_draws_every_node(browser, bundled_page, tmp_path):
    open_page(browser, bundled_page.read_text(encoding="utf-8"), tmp_path / "index.html")
    n = browser.execute_script("return window.govkgView.nodes.length")
    G = to_networkx(load(bundled_page.with_name("govkg.trig")))
    assert n == G.number_of_nodes() > 50
    leaving = {u for u in requests(browser) if not u.startswith(ALLOWED)}
    assert not leaving, leaving


def test_clicking_a_node_shows_its_source_sentence(browser, bundled_page, tmp_path):
    open_page(browser, bundled_page.read_text(encoding="utf-8"), tmp_path / "index.html")
    node = browser.execute_script(
        "var v=window.govkgView; var id=v.nodes.getIds().filter(function(i){return v.nodes.get(i).label==='葵涌司法所'})[0];"
        "v.network.focus(id,{scale:1.5,animation:false}); var p=v.network.canvasToDOM(v.network.getPositions([id])[id]);"
        "var r=document.getElementById('net').getBoundingClientRect(); return [id, p.x + r.left, p.y + r.top];"
    )
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_by_offset(0, 0).perform()
    body = browser.find_element("tag name", "body")
    ActionChains(browser).move_to_element_with_offset(body, 0, 0).move_by_offset(int(node[1]) - body.size["width"] // 2, int(node[2]) - body.size["height"] // 2).click().perform()
    from selenium.webdriver.support.ui import WebDriverWait

    # the panel fills in after the click's event handlers ran: wait for it (a loaded machine is slow)
    WebDriverWait(browser, 10).until(lambda b: "葵涌司法所被授予" in b.find_element("id", "panel").text)
    marked = browser.execute_script("return Array.from(document.querySelectorAll('#panel mark')).map(function(m){return m.textContent})")
    assert "葵涌司法所" in marked


def test_type_filter_and_search(browser, bundled_page, tmp_path):
    open_page(browser, bundled_page.read_text(encoding="utf-8"), tmp_path / "index.html")
    hidden_before = browser.execute_script("return window.govkgView.nodes.get({filter: function(n){return n.hidden}}).length")
    browser.execute_script(
        "var b=document.querySelector('.type-filter[value=\"Observation\"]'); b.click();"
    )
    hidden_after = browser.execute_script("return window.govkgView.nodes.get({filter: function(n){return n.hidden}}).length")
    wanted = browser.execute_script(
        "var d=JSON.parse(document.getElementById('govkg-data').textContent);"
        "return d.model.nodes.filter(function(n){return n.type==='Observation'}).length"
    )
    assert hidden_before == 0 and hidden_after == wanted > 0
    # every hidden node is an Observation
    assert browser.execute_script(
        "var d=JSON.parse(document.getElementById('govkg-data').textContent), t={};"
        "d.model.nodes.forEach(function(n){t[n.id]=n.type});"
        "return window.govkgView.nodes.get({filter: function(n){return n.hidden}}).every(function(n){return t[n.id]==='Observation'})"
    )
    browser.execute_script("document.querySelector('.type-filter[value=\"Observation\"]').click();")
    assert browser.execute_script("return window.govkgView.nodes.get({filter: function(n){return n.hidden}}).length") == 0
    # the year menu hides what belongs only to other years
    by_year = browser.execute_script(
        "var s=document.getElementById('year'); s.value='2021'; s.dispatchEvent(new Event('change'));"
        "return window.govkgView.nodes.get({filter: function(n){return n.hidden}}).length"
    )
    assert by_year > 0
    browser.execute_script("var s=document.getElementById('year'); s.value=''; s.dispatchEvent(new Event('change'));")
    assert browser.execute_script("return window.govkgView.nodes.get({filter: function(n){return n.hidden}}).length") == 0
    box = browser.find_element("id", "search")
    box.send_keys("葵涌司法所\n")
    selected = browser.execute_script("return window.govkgView.network.getSelectedNodes()")
    assert len(selected) == 1
    # the exact name wins over longer names that contain it (the award conferral "葵涌司法所 — …")
    assert browser.execute_script("return window.govkgView.nodes.get(arguments[0]).label", selected[0]).split("\n")[0] == "葵涌司法所"
    assert browser.find_element("css selector", "#panel h1").text == "葵涌司法所"
    # the search centred the view on the node
    centre = browser.execute_script(
        "var v=window.govkgView.network; var p=v.getPositions([arguments[0]])[arguments[0]]; var c=v.getViewPosition(); return [p.x-c.x, p.y-c.y];",
        selected[0],
    )
    assert abs(centre[0]) < 1 and abs(centre[1]) < 1


def test_injected_markup_stays_text(browser, tmp_path):
    open_page(browser, render_html(small_graph()), tmp_path / "evil.html")
    browser.execute_script("window.govkgView.select('https://w3id.org/govkg/id/org/evil')")
    time.sleep(0.2)
    assert browser.execute_script("return window.__alerts") == []
    panel = browser.find_element("id", "panel").text
    assert EVIL in panel and EVIL2.strip() in panel
    assert browser.execute_script("return document.querySelectorAll('#panel script, #panel [onmouseover]').length") == 0
    # hovering the node (its label is drawn on the canvas, there is no HTML tooltip) runs nothing either
    x, y = browser.execute_script(
        "var v=window.govkgView.network, id='https://w3id.org/govkg/id/org/evil';"
        "var p=v.canvasToDOM(v.getPositions([id])[id]); var r=document.getElementById('net').getBoundingClientRect();"
        "return [Math.round(p.x + r.left), Math.round(p.y + r.top)];"
    )
    from selenium.webdriver.common.action_chains import ActionChains

    body = browser.find_element("tag name", "body")
    ActionChains(browser).move_to_element_with_offset(body, x - body.size["width"] // 2, y - body.size["height"] // 2).pause(0.3).perform()
    assert not browser.execute_script("return document.querySelector('.vis-tooltip') && document.querySelector('.vis-tooltip').offsetParent")
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert.text
    assert browser.execute_script("return window.__alerts") == []
    assert not {u for u in requests(browser) if not u.startswith(ALLOWED)}


def test_screenshot_for_the_readme(browser, bundled_page, tmp_path):
    open_page(browser, bundled_page.read_text(encoding="utf-8"), tmp_path / "index.html")
    browser.execute_script("window.govkgView.find('葵涌司法所')")
    time.sleep(0.3)
    png = tmp_path / "view.png"
    browser.save_screenshot(str(png))
    assert png.stat().st_size > 20000  # a drawn page, not a blank one


def test_chinese_text_renders_with_a_cjk_font(browser, tmp_path):
    open_page(browser, render_html(small_graph()), tmp_path / "font.html")
    assert browser.execute_script("return document.fonts.check(\"14px 'Noto Sans CJK SC'\", '葵涌司法所')")
    # the same label measured in the CJK font and in a font without CJK glyphs differs: the glyphs are real
    widths = browser.execute_script(
        "var c=document.createElement('canvas').getContext('2d'); var w=[];"
        "c.font=\"20px 'Noto Sans CJK SC'\"; w.push(c.measureText('葵涌司法所').width);"
        "c.font='20px monospace'; w.push(c.measureText('MMMMM').width); return w;"
    )
    assert widths[0] > 80  # five full-width glyphs at 20 px
