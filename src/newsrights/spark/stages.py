"""Resumable stages: each writes its output folder and a completion marker.

A stage whose marker exists is skipped, so a restarted job continues where it
stopped (passim's rule: each stage's output is its checkpoint). A stage writes
into ``<name>.tmp`` and renames it into place only when complete; a killed
stage leaves no half output that a rerun would trust. The marker holds the
stage's parameters; a marker written with other parameters is stale and the
stage runs again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STAGES = ("extract", "signatures", "candidates", "align", "verdicts", "findings")
MARKER = "_NEWSRIGHTS_DONE.json"


@dataclass(frozen=True, slots=True)
class StageResult:
    name: str
    path: Path
    skipped: bool
    info: dict[str, Any]


class StageRunner:
    def __init__(self, out: Path, *, fingerprint: dict[str, Any], stop_after: str | None = None) -> None:
        if stop_after is not None and stop_after not in STAGES:
            from newsrights.errors import InputError

            raise InputError(f"--stop-after must be one of {', '.join(STAGES)}, not {stop_after!r}")
        self.out = out
        self.fingerprint = fingerprint
        self.stop_after = stop_after
        self.results: list[StageResult] = []
        out.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.out / name

    def done(self, name: str) -> bool:
        marker = self.path(name) / MARKER
        if not marker.exists():
            return False
        try:
            return json.loads(marker.read_text())["fingerprint"] == self.fingerprint
        except (ValueError, KeyError):
            return False

    def run(self, name: str, build: Callable[[Path], dict[str, Any]]) -> StageResult:
        """Run ``build(tmp_path)`` unless the stage is complete; it writes into ``tmp_path``."""
        final = self.path(name)
        if self.done(name):
            info = json.loads((final / MARKER).read_text()).get("info", {})
            res = StageResult(name, final, True, info)
        else:
            tmp = self.out / f"{name}.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(final, ignore_errors=True)
            tmp.mkdir(parents=True)
            info = build(tmp)
            (tmp / MARKER).write_text(json.dumps({"fingerprint": self.fingerprint, "info": info}, default=str))
            tmp.rename(final)
            res = StageResult(name, final, False, info)
        self.results.append(res)
        return res

    def should_stop(self, name: str) -> bool:
        return self.stop_after == name
