"""Pages over other areas' services: dashboard, articles, findings, check, licences, cases, claims, portal."""

from __future__ import annotations
