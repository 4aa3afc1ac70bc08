"""Who may call what: the declared authorisation table of every route.

Each route of the app (API and web pages) is named; :data:`POLICY` maps the
name to a *permission*, and :data:`PERMISSIONS` maps each permission to the
roles that hold it. :func:`newsrights.api.deps.authorize` runs before every
route and looks the route up here; a route missing from the table is refused
(fail closed), and ``tests/integration/test_api_authz.py`` enumerates every
route and tries each role against this table.
"""

from __future__ import annotations

from newsrights.services.accounts import ROLES

PUBLIC = "public"

PERMISSIONS: dict[str, frozenset[str]] = {
    PUBLIC: frozenset(),  # no sign-in needed
    "signed_in": frozenset(ROLES),
    "staff": frozenset({"admin", "analyst", "sales", "legal"}),
    "rights": frozenset({"admin", "analyst", "legal"}),  # scans, cases, evidence, deciding claims
    "commercial": frozenset({"admin", "sales", "legal"}),  # licence registry
    "admin": frozenset({"admin"}),
    "licensee": frozenset({"licensee"}),  # the licensee portal, scoped to the user's party
}

POLICY: dict[str, str] = {
    # --- public
    "health": PUBLIC,
    "api_login": PUBLIC,
    "web_login_form": PUBLIC,
    "web_login": PUBLIC,
    "web_set_language": PUBLIC,
    # --- any signed-in user
    "me": "signed_in",
    "api_logout": "signed_in",
    "web_logout": "signed_in",
    "web_home": "signed_in",
    # --- accounts (admin)
    "list_users": "admin",
    "create_user": "admin",
    "update_user": "admin",
    "list_tokens": "admin",
    "create_token": "admin",
    "revoke_token": "admin",
    "list_login_attempts": "admin",
    "web_users": "admin",
    "web_users_create": "admin",
    # --- catalog
    "list_articles": "staff",
    "get_article": "staff",
    "article_findings": "staff",
    "get_declaration": "staff",
    "web_articles": "staff",
    "web_article": "staff",
    "web_search": "signed_in",  # licensees search only their own findings and licences (services.search)
    "search": "signed_in",
    # --- scans and findings
    "scan_text": "rights",
    "scan_url": "rights",
    "list_findings": "staff",
    "get_finding": "staff",
    "web_dashboard": "staff",
    "web_findings": "staff",
    "web_finding": "staff",
    "web_check": "rights",
    "web_check_run": "rights",
    # --- reports
    "report_summary": "staff",
    # --- licences
    "list_licences": "staff",
    "get_licence": "staff",
    "create_licence": "commercial",
    "web_licences": "staff",
    "web_licence": "staff",
    "web_licence_save": "commercial",
    # --- cases, evidence, claims
    "list_cases": "rights",
    "get_case": "rights",
    "open_case": "rights",
    "move_case": "rights",
    "get_evidence": "rights",
    "list_claims": "staff",
    "get_claim": "staff",
    "review_claim": "rights",
    "decide_claim": "rights",
    "web_cases": "rights",
    "web_case": "rights",
    "web_case_move": "rights",
    "web_claims": "staff",
    "web_claim": "staff",
    "web_claim_acknowledge": "rights",
    "web_claim_decide": "rights",
    "web_finding_evidence": "rights",
    "web_evidence": "rights",
    "web_evidence_download": "rights",
    # --- licensee portal
    "portal_licences": "licensee",
    "portal_content": "licensee",
    "portal_findings": "licensee",
    "web_portal": "licensee",
    "web_portal_finding": "licensee",
}


def allowed_roles(route_name: str) -> frozenset[str] | None:
    """Roles allowed on ``route_name``; empty set for public routes, ``None`` if undeclared."""
    perm = POLICY.get(route_name)
    if perm is None:
        return None
    return PERMISSIONS[perm]


def is_public(route_name: str) -> bool:
    return POLICY.get(route_name) == PUBLIC
