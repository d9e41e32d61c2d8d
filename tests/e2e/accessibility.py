"""axe-core checks against WCAG 2.1 A/AA for every page the browser tests visit."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
    "resultTypes": ["violations"],
}

# Resolves once every finite CSS animation and transition has ended (at most 3 s): axe measures colours
# as rendered, and Wagtail's messages fade in over 0.5 s, so a half-transparent banner would "fail" contrast.
_SETTLE_ANIMATIONS_JS = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter((animation) => animation.effect && animation.effect.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, 3000)),
])"""

_NO_MOTION_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

_axe = Axe()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"      html: {node['html'][:300]}")
            lines.append(f"      why:  {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with every violation's rule, help text and target nodes, so a developer can fix them."""
    # Snap every transition to its end state: waiting for animations alone proved flaky on a loaded
    # machine (a fade-in not yet started is not in getAnimations()), and axe must judge settled colours.
    # A click that navigates returns before the new document has a <head>: wait for it to load first.
    page.wait_for_load_state("load")
    page.add_style_tag(content=_NO_MOTION_CSS)
    page.evaluate(_SETTLE_ANIMATIONS_JS)
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert not violations, f"axe found WCAG 2.1 A/AA violations on {page.url}:\n{format_violations(violations)}"
