"""The explorer in a real headless Chromium (Debian's, driven by Selenium through /usr/bin/chromedriver):
search as you type, an entity page with evidence, links and co-occurring entities, the neighbourhood
graph drawn and clickable, a hostile title shown as text, content negotiation from the browser.
Screenshots go to test-artefacts/ (or $PAPERKG_ARTEFACTS)."""

from __future__ import annotations

import json
import shutil

import pytest
import rdflib
from browserkit import artefacts_dir, browser  # noqa: F401  (a fixture)
from click.testing import CliRunner
from servekit import build_invented, serving

from kg.cli import main

pytest.importorskip("selenium")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = build_invented(tmp_path_factory.mktemp("browser"))
    with serving(out) as s:
        yield s


def wait(driver, seconds: float = 20) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(artefacts_dir() / f"{name}.png"))


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_typing_in_the_search_box_shows_ranked_results(browser, site):
    browser.get(site.url + "/")
    box = wait(browser).until(EC.element_to_be_clickable((By.ID, "live-search")))
    shot(browser, "home")
    box.send_keys("quill")
    first = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#live-results li.hit a")))
    assert first.text == "QuillNet" and first.get_attribute("href").endswith("/model/quillnet")
    shot(browser, "search")
    box.clear()
    box.send_keys("mixture-of-experts")
    wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-results li.hit a").text
                        == "Mixture of Experts")


def test_entity_page_shows_evidence_links_and_cooccurring(browser, site):
    browser.get(site.url + "/model/transformer")
    wait(browser).until(EC.presence_of_element_located((By.ID, "papers")))
    marks = browser.find_elements(By.CSS_SELECTOR, "#papers q.evidence mark")
    assert marks and all(m.text.lower().startswith("transformer") for m in marks)  # the longest alias found
    links = browser.find_elements(By.CSS_SELECTOR, "#links li")
    assert any("QuillNet" in li.text and "BASED_ON" in li.text and "support 1" in li.text for li in links)
    co = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#cooccurring a")]
    assert "Mixture of Experts" in co and "QuillNet" in co
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#hardware a")]
    shot(browser, "entity")


def test_graph_draws_nodes_and_a_click_opens_that_node(browser, site):
    browser.get(site.url + "/model/transformer")
    wait(browser).until(lambda d: d.execute_script("return !!window.kgGraph && window.kgGraph.nodes().length"))
    count = browser.execute_script("return window.kgGraph.nodes().length")
    assert count >= 5
    # a canvas really drew: cytoscape renders into <canvas> layers inside the box
    assert browser.find_elements(By.CSS_SELECTOR, "#graph canvas")
    target = browser.execute_script("""
        var n = window.kgGraph.nodes('[type = "Method"]').filter(function (x) { return !x.data('center'); })[0];
        var p = n.renderedPosition();
        return {href: n.data('href'), x: p.x, y: p.y};""")
    box = browser.find_element(By.ID, "graph")
    size = box.size
    ActionChains(browser).move_to_element_with_offset(
        box, int(target["x"] - size["width"] / 2), int(target["y"] - size["height"] / 2)).click().perform()
    wait(browser).until(lambda d: d.current_url.endswith(target["href"]))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Mixture of Experts")


def test_a_script_title_renders_as_text_and_runs_nothing(browser, site):
    browser.get(site.url + "/paper/2501.00002")
    title = wait(browser).until(EC.presence_of_element_located((By.ID, "title")))
    assert title.text == "<script>alert('pwned')</script> Routing Experts with Sparse Gates"
    assert no_alert(browser)
    browser.get(site.url + "/")
    box = wait(browser).until(EC.element_to_be_clickable((By.ID, "live-search")))
    box.send_keys("routing experts")
    hit = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#live-results li.hit a")))
    assert hit.text.startswith("<script>alert(")
    assert no_alert(browser)
    shot(browser, "hostile-title")


def _fetch(browser, path: str, accept: str) -> dict:
    return browser.execute_async_script("""
        var done = arguments[arguments.length - 1];
        fetch(arguments[0], {headers: {Accept: arguments[1]}})
          .then(function (r) { return r.text().then(function (t) {
              done({status: r.status, type: r.headers.get('Content-Type'), text: t}); }); })
          .catch(function (e) { done({status: 0, type: '', text: String(e)}); });""", path, accept)


def test_content_negotiation_gives_parseable_turtle_and_jsonld(browser, site):
    browser.get(site.url + "/model/quillnet")
    ttl = _fetch(browser, "/model/quillnet", "text/turtle")
    assert ttl["status"] == 200 and ttl["type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=ttl["text"], format="turtle")
    node = rdflib.URIRef("https://w3id.org/paperkg/resource/model/quillnet")
    assert (node, rdflib.SKOS.prefLabel, rdflib.Literal("QuillNet")) in g
    jsonld = _fetch(browser, "/model/quillnet", "application/ld+json")
    assert jsonld["status"] == 200 and jsonld["type"].startswith("application/ld+json")
    json.loads(jsonld["text"])
    assert len(rdflib.Graph().parse(data=jsonld["text"], format="json-ld")) == len(g)


def test_sparql_page_runs_an_example_question(browser, site):
    browser.get(site.url + "/sparql")
    wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#sparql-form button"))).click()
    wait(browser).until(lambda d: "rows" in d.find_element(By.ID, "status").text)
    assert browser.find_elements(By.CSS_SELECTOR, "#result table tr")
    shot(browser, "sparql")


def test_report_draws_every_chart(browser, tmp_path_factory):
    from kg.report import CHARTS

    out = build_invented(tmp_path_factory.mktemp("report"))
    report = out / "report.html"
    r = CliRunner().invoke(main, ["report", str(out), "-o", str(report)])
    assert r.exit_code == 0, r.output
    browser.get(report.as_uri())
    figures = browser.execute_script("""
        return Array.from(document.querySelectorAll('figure[data-chart]')).map(function (f) {
          var svg = f.querySelector('svg'), box = svg ? svg.getBoundingClientRect() : null;
          return {key: f.dataset.chart, drawn: f.dataset.drawn, title: f.querySelector('h2').textContent,
                  width: box ? box.width : 0, height: box ? box.height : 0,
                  marks: svg ? svg.querySelectorAll('path, rect, use, text').length : 0};
        });""")
    assert len(figures) == len(CHARTS)
    for f in figures:
        assert f["drawn"] == "yes" and f["width"] > 200 and f["height"] > 100 and f["marks"] > 10, f
        assert f["title"]
    shot(browser, "report")
