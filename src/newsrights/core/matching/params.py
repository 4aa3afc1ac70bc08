"""The frozen, named parameters of the matcher.

Every :class:`~newsrights.core.model.Finding` carries ``params.name`` so that a
finding can be reproduced exactly: same name, same shingles, same hashes, same
thresholds. Changing any field that changes results must change ``version``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class MatchParams:
    """Matching parameters.

    Retrieval
      * ``k`` — shingle length in *units* (a unit is one CJK character or one
        Latin word / number); ``num_perm = bands * rows`` MinHash permutations,
        LSH with ``bands`` bands of ``rows`` rows (Jaccard threshold about
        ``(1/bands) ** (1/rows)``).
      * ``anchor_k`` / ``anchor_mod`` — passage anchors are the ``anchor_k``-unit
        shingles whose hash is ``0 mod anchor_mod`` (content-defined sampling, so
        the page and the article pick the same anchors); an anchor held by more
        than ``df_cap`` articles is formulaic and ignored (passim's df cap).
        A candidate found by anchors only needs ``min_anchors`` distinct shared anchors
        (3 on pages under 400 normalised characters), that many of them within 120 units
        of each other on the page.
    Alignment
      * seeds are shared ``k``-unit shingles; seeds chain into one region when the
        gap is at most ``max_gap`` units and the diagonal drifts at most
        ``max_shift`` units; a region counts when it covers at least
        ``min_region`` normalised characters at density ``min_density``
        (covered / spanned characters, in both texts).
    Formulaic text
      * a count-min sketch (2 rows of ``2**df_bits`` counters, read as count-mean-min)
        holds the number of indexed articles containing each ``k``-shingle; shingles held by at least
        ``common_df`` articles are *formulaic* (套话, templated reports). Matched
        characters covered only by formulaic seeds do not count towards
        ``min_region`` or ``min_excerpt_chars``. Size ``df_bits`` to about
        ``log2(articles * 50)`` (24 suits a few hundred thousand articles).
    Labels
      * ``whole`` when the article coverage is at least ``whole_coverage``;
        ``excerpt`` when at least ``min_excerpt_chars`` normalised article
        characters are reused; otherwise ``not_derived``.
    """

    k: int = 5
    bands: int = 32
    rows: int = 4
    anchor_k: int = 12
    anchor_mod: int = 8
    df_cap: int = 50
    min_anchors: int = 4
    max_gap: int = 40
    max_shift: int = 12
    min_region: int = 30
    min_density: float = 0.8
    whole_coverage: float = 0.8
    min_excerpt_chars: int = 50
    df_bits: int = 24
    common_df: int = 5
    merge_gap: int = 8
    seed: int = 20240601
    version: int = 2
    label: str = field(default="", compare=False)

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows

    @property
    def name(self) -> str:
        """A label that identifies these parameters, e.g. ``mh128b32r4-k5-a12m8-v1``."""
        if self.label:
            return self.label
        return (
            f"mh{self.num_perm}b{self.bands}r{self.rows}-k{self.k}"
            f"-a{self.anchor_k}m{self.anchor_mod}-d{self.df_bits}c{self.common_df}-v{self.version}"
        )

    def __str__(self) -> str:
        return self.name


#: The parameters the product ships with.
DEFAULT_PARAMS = MatchParams()
