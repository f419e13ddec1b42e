"""Every action a municipality's audit trail records reads as words on the workspace home,
never as its internal code."""

from __future__ import annotations

import re
from pathlib import Path

from tenants.workspace.selectors import _sentences

ROOT = Path(__file__).resolve().parents[2] / "tenants"
# Recorded in the public schema (platform audit), never on a workspace home.
PLATFORM_ONLY = {"municipality", "platform_role"}


def test_every_recorded_action_has_a_sentence() -> None:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        found |= set(re.findall(r'"([a-z_]+\.(?:created|changed|retried))" if', text))
        found |= set(re.findall(r'if [a-z_ ]+ else "([a-z_]+\.(?:created|changed|retried))"', text))
    tenant_actions = {code for code in found if code.split(".")[0] not in PLATFORM_ONLY}
    assert len(tenant_actions) > 40  # the scan itself works
    missing = sorted(tenant_actions - set(_sentences()))
    assert missing == []
