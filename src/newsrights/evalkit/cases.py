"""Value types of the evaluation kit: catalog documents, test pages and their gold answers.

A :class:`Case` is one page to check. Its gold answer is a tuple of
:class:`GoldPair` (one per catalog article the page reuses; empty for a
negative). Spans use the same coordinates as the product: offsets into the
article text and the page text, both ``"\\n\\n".join(paragraphs)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsrights.core.model import PARAGRAPH_SEP, ReuseLabel, Span


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """A catalog article (or a host/negative text) as paragraphs."""

    id: str
    body: tuple[str, ...]
    title: str = ""
    uri: str = ""
    date: str = ""
    lang: str = "zh"

    @property
    def text(self) -> str:
        return PARAGRAPH_SEP.join(self.body)


@dataclass(frozen=True, slots=True)
class GoldPair:
    """The page reuses ``article_id``; ``label`` is the expected reuse label.

    ``spans`` are the gold passages (PAN "plagiarism cases"); they may be empty
    on real data where only the pair is known. ``reused_chars`` is the length of
    the reused article text, used to bucket excerpts (e.g. >= 150 characters).
    """

    article_id: str
    label: ReuseLabel
    spans: tuple[Span, ...] = ()
    reused_chars: int = 0
    #: kind of reuse of this pair when it differs from the case's kind (recall is counted by it)
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """One page to check, of a named ``kind`` (``whole``, ``excerpt``, ``s2twp``,
    ``negative_sogouca``, ``xwlb_reprint`` …), with its gold pairs.

    ``ambiguous`` lists article ids a finding for which is neither right nor
    wrong (e.g. real pages that share one formulaic sentence with an article);
    such findings are left out of precision. ``html`` holds the page serialised
    as HTML bytes in ``encoding`` when the case exercises the read path.
    """

    id: str
    kind: str
    page_body: tuple[str, ...]
    gold: tuple[GoldPair, ...] = ()
    page_title: str = ""
    page_url: str = ""
    ambiguous: frozenset[str] = field(default_factory=frozenset)
    html: bytes | None = None
    encoding: str | None = None

    @property
    def page_text(self) -> str:
        return PARAGRAPH_SEP.join(self.page_body)

    @property
    def is_negative(self) -> bool:
        return not self.gold
