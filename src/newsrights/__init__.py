"""newsrights: a news publisher's rights desk.

Reads the publisher's pages, decides what it owns under its copyright
declaration, keeps the licence registry, finds copies of owned articles on
other pages, judges each copy and turns findings into evidence and cases.

The public surface is listed in ``__all__``; ``tests/unit/test_public_api.py``
holds it.
"""

from newsrights.core.model import Article, Finding, Ownership, Rejected, Span
from newsrights.errors import NewsrightsError

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Finding",
    "NewsrightsError",
    "Ownership",
    "Rejected",
    "Span",
    "__version__",
]
