"""信息产品内容销售: products on sale, their prices, and how a sale becomes a licence.

A :class:`Product` is a slice of the catalog sold under one price: a **column**
(every article of the named columns), a **feed** (the whole catalog, or the
articles bearing the given owned markers such as ``国际在线专稿``) or **articles**
(by id). It is published as an ODRL ``Offer`` (:func:`offer_policy`); a sale
turns it into an ``Agreement`` with the buyer as assignee, the licensed domains
as ``virtualLocation`` and the term as a ``dateTime`` period
(:func:`agreement_from_offer`), and an :class:`Invoice` is kept.

Prices are ``flat`` (per term) or ``per_kchar`` (per 千字). Per-千字 counting
follows the usual rule for text works in China (《使用文字作品支付报酬办法》):
a remainder under 500 characters counts as half a 千字, a remainder of 500 or
more counts as a whole 千字 (:func:`chargeable_kchars`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from newsrights.core.odrl import CATALOG, Asset, Constraint, Duty, Party, Policy, Rule

ProductKind = Literal["column", "feed", "article"]
Pricing = Literal["flat", "per_kchar"]


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    kind: ProductKind
    pricing: Pricing
    price: Decimal
    currency: str = "CNY"
    selector: tuple[str, ...] = ()
    actions: tuple[str, ...] = ("reproduce",)
    credit: str | None = "来源:国际在线"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "pricing": self.pricing,
            "price": str(self.price), "currency": self.currency, "selector": list(self.selector),
            "actions": list(self.actions), "credit": self.credit, "offer": offer_uid(self),
        }


@dataclass(frozen=True, slots=True)
class Invoice:
    number: str
    product_id: str
    licensee_uid: str
    agreement_uid: str
    amount: Decimal
    currency: str
    chars: int | None
    issued: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "product": self.product_id, "licensee": self.licensee_uid,
            "agreement": self.agreement_uid, "amount": str(self.amount), "currency": self.currency,
            "chars": self.chars, "issued": self.issued.isoformat(),
        }


def chargeable_kchars(chars: int) -> Decimal:
    """千字 to charge for ``chars`` characters: whole thousands, plus 0.5 for a
    remainder under 500 and 1 for a remainder of 500 or more."""
    if chars < 0:
        raise ValueError("a character count cannot be negative")
    whole, rest = divmod(chars, 1000)
    extra = Decimal(0) if rest == 0 else Decimal("0.5") if rest < 500 else Decimal(1)
    return Decimal(whole) + extra


def price_for(product: Product, chars: int | None = None) -> Decimal:
    """Amount due: the flat price, or price × :func:`chargeable_kchars` (rounded to cents)."""
    if product.pricing == "flat":
        return product.price.quantize(Decimal("0.01"))
    if chars is None:
        raise ValueError(f"product {product.id} is priced per 千字: give the number of characters")
    return (product.price * chargeable_kchars(chars)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def offer_uid(product: Product) -> str:
    return f"urn:newsrights:offer:{product.id}"


def _targets(product: Product) -> tuple[Asset, ...]:
    if product.kind == "article":
        return tuple(Asset(f"urn:newsrights:article:{a}") for a in product.selector)
    if product.kind == "column":
        return (Asset(CATALOG, True, (Constraint("nr:column", "isAnyOf", product.selector),)),)
    if product.selector:
        return (Asset(CATALOG, True, (Constraint("nr:marker", "isAnyOf", product.selector),)),)
    return (Asset(CATALOG),)


def _duties(product: Product, amount: Decimal | None) -> tuple[Duty, ...]:
    duties: list[Duty] = []
    if product.credit:
        duties.append(Duty("attribute", (Constraint("nr:creditText", "eq", product.credit),)))
    pay = str(amount if amount is not None else product.price)
    refs = [Constraint("payAmount", "eq", pay, product.currency, "xsd:decimal")]
    if product.pricing == "per_kchar" and amount is None:
        refs.append(Constraint("nr:pricing", "eq", "per_kchar"))
    duties.append(Duty("compensate", tuple(refs)))
    return tuple(duties)


def offer_policy(product: Product, publisher: Party) -> Policy:
    """The product as an ODRL ``Offer`` from the publisher (no assignee yet)."""
    rules = tuple(
        Rule("permission", a, _targets(product), duties=_duties(product, None)) for a in product.actions
    )
    return Policy(offer_uid(product), "Offer", rules, assigner=publisher.uid,
                  extra=(("dc:title", f'"{product.name}"'),))


def agreement_from_offer(
    product: Product,
    publisher: Party,
    licensee: Party,
    *,
    uid: str,
    start: date,
    end: date,
    domains: tuple[str, ...] = (),
    amount: Decimal | None = None,
) -> Policy:
    """The Agreement a sale makes: the offer's permissions for ``licensee``, limited to
    ``[start, end]`` (``dateTime``) and to ``domains`` (``virtualLocation``, default the
    licensee's own)."""
    where = domains or licensee.domains
    cons: list[Constraint] = [
        Constraint("dateTime", "gteq", start.isoformat(), datatype="xsd:date"),
        Constraint("dateTime", "lteq", end.isoformat(), datatype="xsd:date"),
    ]
    if where:
        cons.append(Constraint("virtualLocation", "isAnyOf", tuple(where)))
    rules = tuple(
        Rule("permission", a, _targets(product), constraints=tuple(cons), duties=_duties(product, amount))
        for a in product.actions
    )
    return Policy(uid, "Agreement", rules, assigner=publisher.uid, assignee=licensee.uid,
                  extra=(("dc:source", f'"{offer_uid(product)}"'),))
