"""The monitor's terminal progress line shows page URLs as text, never as Rich markup."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from newsrights.cli import crawl
from newsrights.services.monitor import Progress


def test_progress_line_escapes_scraped_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(crawl, "console", Console(file=out, force_terminal=True, width=200, color_system=None))
    monkeypatch.setattr(crawl, "progress_enabled", lambda: True)
    url = "http://copy.example/a[/x]b[bold red]c"  # a link found on a page: brackets are legal in URLs

    class Report:
        def to_json(self) -> dict[str, Any]:
            return {"ok": True}

    def fake_run(factory: Any, cfg: Any, *, captures_dir: Any, on_progress: Any) -> Report:
        on_progress(Progress(1, 2, url, "matched"))
        crawl.console.file.flush()
        return Report()

    assert crawl._one_run(None, None, None, fake_run) == {"ok": True}
    assert "a[/x]b[bold red]c" in out.getvalue()
