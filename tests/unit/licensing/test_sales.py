"""Products, prices per 千字 or flat, offers and agreements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from newsrights.core.model import CHINA_TZ
from newsrights.core.odrl import AssetFacts, Party, PolicyVersion, Registry, Use, evaluate
from newsrights.core.sales import Product, agreement_from_offer, chargeable_kchars, offer_policy, price_for

PUB = Party("urn:p:pub", "国际在线", "publisher", ("cri.cn",))
BUYER = Party("urn:p:b", "买家网", "licensee", ("buyer.example",))


@pytest.mark.parametrize(("chars", "kchars"), [(0, "0"), (1, "0.5"), (499, "0.5"), (500, "1"), (1000, "1"),
                                                (1001, "1.5"), (2300, "2.5"), (2999, "3")])
def test_chargeable_kchars(chars: int, kchars: str) -> None:
    assert chargeable_kchars(chars) == Decimal(kchars)


def test_prices() -> None:
    per = Product("p", "按千字", "column", "per_kchar", Decimal("80"), "CNY", ("国际",))
    assert price_for(per, 2300) == Decimal("200.00")
    with pytest.raises(ValueError):
        price_for(per)
    flat = Product("f", "包年", "feed", "flat", Decimal("50000"))
    assert price_for(flat) == Decimal("50000.00")
    with pytest.raises(ValueError):
        chargeable_kchars(-1)


def test_offer_grants_nothing_until_sold() -> None:
    product = Product("p", "国际频道", "column", "per_kchar", Decimal("80"), "CNY", ("国际",))
    when = datetime(2026, 5, 1, tzinfo=CHINA_TZ)
    facts = AssetFacts("a1", column="国际")
    use = Use("reproduce", BUYER.uid, when, domain="buyer.example")
    offer = PolicyVersion(offer_policy(product, PUB), 1, datetime(2026, 1, 1, tzinfo=CHINA_TZ))
    assert offer.policy.type == "Offer" and offer.policy.assignee is None
    assert evaluate(Registry(PUB, (BUYER,), (offer,)), facts, use).outcome == "no_licence"
    sold = agreement_from_offer(product, PUB, BUYER, uid="urn:a:1", start=date(2026, 1, 1), end=date(2026, 12, 31),
                                amount=Decimal("200.00"))
    reg = Registry(PUB, (BUYER,), (offer, PolicyVersion(sold, 1, datetime(2026, 1, 1, tzinfo=CHINA_TZ))))
    ev = evaluate(reg, facts, use)
    assert ev.outcome == "permitted"
    assert {d.action for d in ev.duties} == {"attribute", "compensate"}
    assert evaluate(reg, AssetFacts("a2", column="体育"), use).failures == ("content_not_licensed",)
    assert evaluate(reg, facts, Use("reproduce", BUYER.uid, when, domain="other.example")).failures == ("other_domain",)


def test_article_and_feed_products() -> None:
    when = datetime(2026, 5, 1, tzinfo=CHINA_TZ)
    for product, facts, ok in [
        (Product("a", "单篇", "article", "flat", Decimal("300"), selector=("art_1",)), AssetFacts("art_1"), True),
        (Product("a", "单篇", "article", "flat", Decimal("300"), selector=("art_1",)), AssetFacts("art_2"), False),
        (Product("f", "专稿", "feed", "flat", Decimal("9"), selector=("国际在线专稿",)), AssetFacts("x", marker="国际在线专稿"), True),
        (Product("f", "全部", "feed", "flat", Decimal("9")), AssetFacts("x"), True),
    ]:
        sold = agreement_from_offer(product, PUB, BUYER, uid="u", start=date(2026, 1, 1), end=date(2026, 12, 31))
        reg = Registry(PUB, (BUYER,), (PolicyVersion(sold, 1, datetime(2026, 1, 1, tzinfo=CHINA_TZ)),))
        got = evaluate(reg, facts, Use("reproduce", BUYER.uid, when, domain="buyer.example")).outcome
        assert (got == "permitted") is ok, (product, facts, got)
