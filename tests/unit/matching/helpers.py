"""Small generated Chinese and English articles for matching tests (no shared data needed)."""

from __future__ import annotations

import random

_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
)


def zh_paragraph(rng: random.Random, n: int) -> str:
    """A pseudo-Chinese paragraph of about ``n`` characters with punctuation."""
    out = []
    while len(out) < n:
        out.extend(rng.choice(_CHARS) for _ in range(rng.randint(6, 18)))
        out.append(rng.choice("，，，。、；"))
    out[-1] = "。"
    return "".join(out)


def zh_article(seed: int, paragraphs: int = 8, size: int = 120) -> str:
    rng = random.Random(seed)
    return "\n\n".join(zh_paragraph(rng, size) for _ in range(paragraphs))
