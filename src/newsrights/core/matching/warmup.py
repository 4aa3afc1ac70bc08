"""Compile the matcher's kernels once, ahead of use.

The kernels (:mod:`newsrights.core.matching.kernels`) are compiled by numba on first
use and cached beside their source, so the first process after an install (or after
the kernels change) spends a minute or so compiling. :func:`warm_up` runs the whole
check path once on small built-in texts (simplified, traditional, with credit lines,
Latin words, a formulaic passage) so that every kernel is compiled with the argument
types real checks use; ``make install`` and the test script call it first, so tests
and servers never wait on a compiler. ``python -m newsrights.core.matching.warmup``.
"""

from __future__ import annotations

import sys
import time

_ARTICLE = (
    "国务院新闻办公室今天举行新闻发布会，介绍今年以来经济运行情况。国家统计局新闻发言人表示，"
    "前三季度国内生产总值同比增长，就业形势总体稳定，居民消费价格温和上涨。\n"
    "来源：国际在线\n"
    "他说，下一步将继续加大宏观政策调控力度，着力扩大国内需求，推动经济持续回升向好。"
    "The spokesman said exports rose 5 percent in the third quarter."
)
_TRADITIONAL = "國務院新聞辦公室今天舉行新聞發佈會，介紹今年以來經濟運行情況。軟體與網路產業穩定發展。"


def warm_up() -> float:
    """Run the check path once (compiling what is not cached yet); returns the seconds taken."""
    from newsrights.core.matching.align import align
    from newsrights.core.matching.detect import Detector, prepare

    t0 = time.perf_counter()
    det = Detector()
    det.add("a", "u:a", _ARTICLE)
    det.add("b", "u:b", _ARTICLE[40:] + "另一篇稿件的其他内容。" * 5)
    det.add("c", "u:c", _TRADITIONAL * 3)
    for page in (_ARTICLE, "无关的开头。" + _ARTICLE[30:120] + "无关的结尾。", _TRADITIONAL * 2, "no match here at all"):
        det.check(page, include_not_derived=True)
    det.remove("b")
    det.check(_ARTICLE)
    p, a = prepare(_ARTICLE), prepare(_ARTICLE, retrieval=False)
    align(p.shingles, a.shingles, p.cum, a.cum, det.params.k, det.params, p.shingles % 2 == 0, art_order=a.order)
    return time.perf_counter() - t0


def main() -> int:
    secs = warm_up()
    print(f"newsrights matcher ready ({secs:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
