"""Evaluation kit for copy detection: data-set loaders, a seeded generator of
edited variants with gold spans, and the PAN text-alignment metrics.

Used by the quality gate (``tests/eval/test_detection_gate.py``) and the
benchmarks (``bench/bench_matching.py``). Nothing here is imported by the
product at run time.
"""

from newsrights.evalkit.cases import Case, SourceDoc
from newsrights.evalkit.pan import PanScores, pan_scores

__all__ = ["Case", "SourceDoc", "PanScores", "pan_scores"]
