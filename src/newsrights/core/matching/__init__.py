"""Copy detection: normalised text -> shingles -> MinHash-LSH + passage anchors -> alignment.

Pure: no I/O. :class:`~newsrights.core.matching.detect.Detector` is the entry point;
:class:`~newsrights.core.matching.params.MatchParams` names every result it produces.
"""

from newsrights.core.matching.detect import Detector
from newsrights.core.matching.params import DEFAULT_PARAMS, MatchParams

__all__ = ["DEFAULT_PARAMS", "Detector", "MatchParams"]
