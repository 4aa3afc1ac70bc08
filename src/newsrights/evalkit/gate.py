"""The headline figures of a detection run and the check against pinned floors.

:func:`gate_metrics` turns a :class:`~newsrights.evalkit.scoring.Report` into
named figures (the targets of issue 3); :func:`check_floors` compares them with
``[floors]`` (minimums) and ``[ceilings]`` (maximums) read from a TOML file and
returns every violation, so one run shows all of them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from newsrights.evalkit.generate import KINDS
from newsrights.evalkit.scoring import Report

#: Generated kinds that copy the whole article (label ``whole``).
WHOLE_KINDS = tuple(k for k in KINDS if not k.startswith("excerpt"))
#: Kinds in traditional script.
TRADITIONAL_KINDS = ("s2twp", "s2hk", "big5_html", "excerpt_s2hk")
#: Kinds read through the HTML path (GBK, Big5).
HTML_KINDS = ("gbk_html", "big5_html")


def gate_metrics(report: Report) -> dict[str, float]:
    """Named figures of one run (recalls, precisions, PAN, counts of false positives)."""
    neg_fp = sum(
        s.false_pos for k, s in report.by_kind.items() if k.startswith("negative_") or k == "xwlb_heldout"
    )
    found = report.overall.found
    label_ok = report.overall.label_ok
    m: dict[str, float] = {
        "whole_recall": report.group(WHOLE_KINDS).recall,
        "whole_precision": report.label_precision("whole"),
        "excerpt_precision": report.label_precision("excerpt"),
        "excerpt150_recall": report.by_kind["excerpt>=150"].recall
        if "excerpt>=150" in report.by_kind
        else 1.0,
        "excerpt_recall": report.group(("excerpt", "excerpt_s2hk")).recall,
        "traditional_recall": report.group(TRADITIONAL_KINDS).recall,
        "html_recall": report.group(HTML_KINDS).recall,
        "overall_precision": report.overall.precision,
        "overall_recall": report.overall.recall,
        "label_accuracy": label_ok / found if found else 1.0,
        "negative_false_positives": float(neg_fp),
        "xwlb_reprint_recall": report.group(("xwlb_reprint",)).recall,
        "xwlb_kuaixun_recall": report.group(("xwlb_kuaixun",)).recall,
        "xwlb_quote_recall": report.group(("xwlb_quote",)).recall,
        "xwlb_excerpt150_recall": report.group(("xwlb_excerpt>=150",)).recall,
    }
    if report.pan:
        m.update(
            span_precision=report.pan.precision,
            span_recall=report.pan.recall,
            span_granularity=report.pan.granularity,
            plagdet=report.pan.plagdet,
        )
    return m


def load_floors(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def check_floors(metrics: dict[str, float], floors: dict[str, Any]) -> list[str]:
    """Every figure under its floor or over its ceiling, as readable lines (empty: all pass)."""
    bad = []
    for name, floor in floors.get("floors", {}).items():
        if name not in metrics:
            bad.append(f"{name}: no such figure measured (floor {floor})")
        elif metrics[name] < floor:
            bad.append(f"{name} = {metrics[name]:.4f} is under its floor {floor}")
    for name, ceiling in floors.get("ceilings", {}).items():
        if name not in metrics:
            bad.append(f"{name}: no such figure measured (ceiling {ceiling})")
        elif metrics[name] > ceiling:
            bad.append(f"{name} = {metrics[name]:.4f} is over its ceiling {ceiling}")
    return bad


def format_metrics(metrics: dict[str, float], floors: dict[str, Any] | None = None) -> str:
    """``name  value  (floor x / target y)`` lines."""
    fl = (floors or {}).get("floors", {})
    ce = (floors or {}).get("ceilings", {})
    tg = (floors or {}).get("targets", {})
    lines = []
    for name, v in metrics.items():
        extra = []
        if name in fl:
            extra.append(f"floor {fl[name]}")
        if name in ce:
            extra.append(f"ceiling {ce[name]}")
        if name in tg:
            extra.append(f"target {tg[name]}")
        lines.append(f"{name:<26}{v:>9.4f}" + (f"   ({', '.join(extra)})" if extra else ""))
    return "\n".join(lines)
