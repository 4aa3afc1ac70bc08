"""Run the product's detector over evaluation cases.

:class:`DetectorRunner` indexes catalog documents in a
:class:`newsrights.core.matching.detect.Detector` and checks each case: plain
cases by their page text, HTML cases through the ingest read path
(:func:`newsrights.ingest.read_bytes`: charset detection, decoding, extraction)
so the gate covers more than the matcher.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from newsrights.core.model import Article, Finding
from newsrights.evalkit.cases import Case, SourceDoc


def page_text_of(case: Case) -> str:
    """The text the product would match for this case (read from HTML when the case has it)."""
    if case.html is None:
        return case.page_text
    from newsrights.ingest import read_bytes

    items = read_bytes(case.html, origin=case.id, url=case.page_url, content_type="text/html")
    arts = [a for a in items if isinstance(a, Article)]
    return arts[0].text if arts else ""


class DetectorRunner:
    """A detector loaded with ``catalog``; :meth:`findings` is the scorer's callback."""

    def __init__(self, catalog: Iterable[SourceDoc], params: Any = None) -> None:
        from newsrights.core.matching.detect import Detector
        from newsrights.core.matching.params import DEFAULT_PARAMS

        self.params = params or DEFAULT_PARAMS
        self.detector = Detector(self.params)
        t0 = time.perf_counter()
        n = 0
        for doc in catalog:
            self.detector.add(doc.id, doc.uri or doc.id, doc.text)
            n += 1
        self.indexed = n
        self.build_seconds = time.perf_counter() - t0
        self.check_seconds = 0.0
        self.checked = 0

    def findings(self, case: Case) -> list[Finding]:
        text = page_text_of(case)
        t0 = time.perf_counter()
        out = self.detector.check(text, page_url=case.page_url) if text else []
        self.check_seconds += time.perf_counter() - t0
        self.checked += 1
        return out
