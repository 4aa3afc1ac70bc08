"""Notices in Chinese and English: to the copying site, and complaints to platforms.

Kinds:

* ``licence_offer`` — to the site: the use is unlicensed; take a licence for the fee
  computed from the article length (千字 × rate, see :mod:`newsrights.core.damages`) or remove it;
* ``takedown`` — to the site: remove the copies and publish an apology;
* ``platform_complaint`` — to a platform hosting the copy, with the content that
  信息网络传播权保护条例 (Regulations on the Protection of the Right of Communication through
  Information Networks) **Art. 14** requires of a notice:

  1. the right holder's name, contact details and address (权利人的姓名（名称）、联系方式和地址);
  2. the title and network address of the work to be removed or disconnected
     (要求删除或者断开链接的侵权作品……的名称和网络地址);
  3. preliminary proof of infringement (构成侵权的初步证明材料);

  and the right holder answers for the notice's truthfulness (权利人应当对通知书的真实性负责).

:func:`missing_fields` lists what a notice lacks; :func:`render` refuses to render an
incomplete notice. Everything that comes from users or scraped pages is data: :func:`clean`
strips control characters and folds line breaks, so a scraped title cannot forge a field line
in the text notice, and :func:`render_html` escapes the whole notice.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from newsrights.errors import InputError

KINDS: tuple[str, ...] = ("licence_offer", "takedown", "platform_complaint")
LANGUAGES: tuple[str, ...] = ("zh", "en")

#: Fields every notice needs, and the Art. 14 fields a platform complaint needs on top.
COMMON_FIELDS: tuple[str, ...] = ("rightholder_name", "recipient", "works", "infringing_urls")
ART14_FIELDS: tuple[str, ...] = (
    "rightholder_name",
    "rightholder_contact",
    "rightholder_address",
    "work_titles",
    "work_urls",
    "infringing_urls",
    "preliminary_proof",
)

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(value: Any, limit: int = 500) -> str:
    """One line of plain text: NFC, no control/bidi characters, whitespace folded, capped."""
    s = unicodedata.normalize("NFC", str(value if value is not None else ""))
    s = _CTRL.sub(" ", s)
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Work:
    """The publisher's work: title, URL, publication date, character count."""

    title: str
    url: str
    published: date | None = None
    chars: int = 0


@dataclass(frozen=True, slots=True)
class Proof:
    """One item of preliminary proof: an evidence package (file name + sha256) or a note."""

    name: str
    sha256: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class NoticeData:
    kind: str
    language: str
    rightholder_name: str
    recipient: str
    works: tuple[Work, ...]
    infringing_urls: tuple[str, ...]
    rightholder_contact: str = ""
    rightholder_address: str = ""
    proof: tuple[Proof, ...] = ()
    fee_fen: int | None = None
    fee_basis: str = ""
    respond_days: int = 15
    case_ref: str = ""
    issued_on: date | None = None
    signatory: str = ""
    credit_line: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _is_network_address(url: str) -> bool:
    """An http(s) URL with a host: Art. 14 asks for the work's 网络地址, which a catalog
    ``urn:sha256:…`` or a file path is not."""
    u = clean(url).lower()
    return u.startswith(("http://", "https://")) and len(u.split("://", 1)[1].split("/", 1)[0]) > 0


def missing_fields(n: NoticeData) -> list[str]:
    """Required fields the notice lacks (empty list when complete)."""
    if n.kind not in KINDS:
        raise InputError(f"unknown notice kind {n.kind!r}; one of {', '.join(KINDS)}")
    if n.language not in LANGUAGES:
        raise InputError(f"unknown notice language {n.language!r}; one of {', '.join(LANGUAGES)}")
    present = {
        "rightholder_name": bool(clean(n.rightholder_name)),
        "rightholder_contact": bool(clean(n.rightholder_contact)),
        "rightholder_address": bool(clean(n.rightholder_address)),
        "recipient": bool(clean(n.recipient)),
        "works": bool(n.works),
        "work_titles": bool(n.works) and all(clean(w.title) for w in n.works),
        "work_urls": bool(n.works) and all(_is_network_address(w.url) for w in n.works),
        "infringing_urls": bool(n.infringing_urls) and all(clean(u) for u in n.infringing_urls),
        "preliminary_proof": bool(n.proof),
    }
    need = list(COMMON_FIELDS)
    if n.kind == "platform_complaint":
        need += [f for f in ART14_FIELDS if f not in need]
    if n.kind == "licence_offer":
        present["fee"] = n.fee_fen is not None and n.fee_fen > 0
        need.append("fee")
    return [f for f in need if not present[f]]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("newsrights", "templates"),
        autoescape=False,  # plain text; values are cleaned by the `c` filter
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["c"] = clean
    env.filters["yuan"] = lambda fen: f"{fen / 100:,.2f}"
    return env


def render(n: NoticeData) -> str:
    """The notice as plain text; raise :class:`InputError` naming missing required fields."""
    missing = missing_fields(n)
    if missing:
        basis = " (信息网络传播权保护条例 Art. 14)" if n.kind == "platform_complaint" else ""
        raise InputError(f"notice {n.kind}/{n.language} is missing required fields{basis}: {', '.join(missing)}")
    return _env().get_template(f"notices/{n.kind}.{n.language}.txt.j2").render(n=n)


def render_html(n: NoticeData) -> str:
    """The notice as an HTML document, every character of the text escaped."""
    title = {"zh": "通知", "en": "Notice"}[n.language]
    return (
        f'<!doctype html><html lang="{n.language}"><head><meta charset="utf-8"><title>{title}</title>'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head>"
        f'<body><pre style="white-space:pre-wrap">{html.escape(render(n))}</pre></body></html>'
    )
