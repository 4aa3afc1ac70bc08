"""The network side of monitoring: what to fetch, how, and how the bytes are kept.

* :mod:`~newsrights.crawl.fetcher` — :class:`Fetcher`: one defensive, polite GET (httpx).
* :mod:`~newsrights.crawl.ssrf` — the address guard (no private/loopback/link-local targets).
* :mod:`~newsrights.crawl.robots` — robots.txt per origin (RFC 9309, Protego).
* :mod:`~newsrights.crawl.politeness` — per-host concurrency and spacing.
* :mod:`~newsrights.crawl.capture` — crash-safe rotating WARC captures, ``file#offset`` references.
* :mod:`~newsrights.crawl.sources` — sources files, sitemaps, feeds, links, WARC/ARC/WACZ input.
* :mod:`~newsrights.crawl.local_site` — ``serve_folder``: a loopback site for tests and the demo.

The run itself (frontier, outcomes, resume, report) is :mod:`newsrights.services.monitor`.
"""
