"""Licence registry use cases (owned by the licensing area; placeholder until it lands).

``attach_verdicts`` is the seam the scan calls: it fills ``verdict`` and
``verdict_reasons`` on each finding for a page.
"""

from __future__ import annotations

from typing import Any

from newsrights.core.model import Article, Finding


def attach_verdicts(session: Any, page: Article, findings: list[Finding]) -> list[Finding]:
    """Return ``findings`` with verdicts; until the registry lands, unchanged."""
    return findings
