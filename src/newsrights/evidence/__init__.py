"""Evidence packages: WACZ files with a signed, optionally time-stamped manifest.

* :mod:`~newsrights.evidence.manifest` — ``datapackage.json`` (every file with sha256 and size)
  and ``datapackage-digest.json``.
* :mod:`~newsrights.evidence.signing` — the installation's ECDSA P-256 key.
* :mod:`~newsrights.evidence.tsa` — RFC 3161 time-stamp requests and token verification.
* :mod:`~newsrights.evidence.compare` — side-by-side comparison, HTML and PDF.
* :mod:`~newsrights.evidence.wacz` — the package writer.
* :mod:`~newsrights.evidence.verify` — offline verification naming exactly what fails.
"""

from newsrights.evidence.verify import VerifyReport, verify_package
from newsrights.evidence.wacz import PackageContents, write_package

__all__ = ["PackageContents", "VerifyReport", "verify_package", "write_package"]
