"""Pydantic models at the API edge (requests and responses)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
Role = Literal["admin", "analyst", "sales", "legal", "licensee"]


class In(BaseModel):
    """Request bodies: unknown fields are refused (the schema says ``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(BaseModel):
    type: str
    title: str
    status: int
    detail: str


class PageOut(BaseModel, Generic[T]):
    """One page of a list; ``total`` when cheap to know, ``next_offset`` when there is more."""

    items: list[T]
    total: int | None = None
    limit: int
    offset: int
    next_offset: int | None = None


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    display_name: str
    party_id: str | None
    active: bool


class UserIn(In):
    username: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=1024)
    role: Role
    display_name: str = Field(default="", max_length=200)
    party_id: str | None = Field(default=None, max_length=200)


class UserPatch(In):
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    display_name: str | None = Field(default=None, max_length=200)
    party_id: str | None = Field(default=None, max_length=200)


class TokenIn(In):
    user_id: int = Field(ge=1, le=2**31 - 1)
    name: str = Field(default="", max_length=200)


class TokenOut(BaseModel):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: str
    revoked: bool


class TokenCreated(BaseModel):
    token: str = Field(description="The secret; shown once, store it now.")
    info: TokenOut


class LoginAttemptOut(BaseModel):
    """One sign-in attempt: ``ok``, ``failed``, ``refused`` (locked out, not checked) or ``unlocked``
    (an admin lifted the lockout); ``at`` in UTC."""

    id: int
    at: str
    username: str
    client: str
    outcome: Literal["ok", "failed", "refused", "unlocked"]


class LoginIn(In):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str


class MeOut(BaseModel):
    user: UserOut
    via: Literal["token", "session"]
    csrf_token: str | None = None


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str


class FindingOut(BaseModel):
    id: int
    finding: dict[str, Any]
    page_url: str
    page_title: str | None = None
    found_at: str | None = None


class ScanTextIn(In):
    text: str = Field(min_length=1, max_length=200_000)
    url: str = Field(default="", max_length=2000)
    title: str | None = Field(default=None, max_length=500)


class ScanUrlIn(In):
    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://")
    record: bool = True


class ScanOut(BaseModel):
    count: int
    findings: list[dict[str, Any]]
    recorded: list[int] = []


class CountItem(BaseModel):
    key: str
    count: int


class SummaryOut(BaseModel):
    total: int
    by_verdict: list[CountItem]
    by_site: list[CountItem]
    by_day: list[CountItem]
    top_infringing_sites: list[CountItem]


class LicenceIn(In):
    """Plain licence terms (``services.licensing.LicenceTerms``); ``uid`` of an existing licence amends it."""

    licensee: str = Field(min_length=1, max_length=200)
    domains: list[Annotated[str, Field(min_length=1, max_length=253)]] = Field(default=[], max_length=50)
    actions: list[Literal["reproduce", "distribute", "extract", "modify", "translate", "derive", "archive",
                          "index", "use"]] = Field(default=["reproduce"], min_length=1, max_length=9)
    start: date | None = None
    end: date | None = None
    credit: str | None = Field(default="来源:国际在线", max_length=200)
    keep_title: bool = False
    keep_byline: bool = False
    link_back: bool = False
    articles: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default=[], max_length=500)
    uid: str | None = Field(default=None, max_length=300)


class CaseOpenIn(In):
    finding_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(min_length=1, max_length=500)
    title: str = Field(default="", max_length=300)


class CaseMoveIn(In):
    to: str = Field(min_length=1, max_length=40, description="a state, `remind` or `reopen`")
    outcome: Literal["settled", "withdrawn", "won", "lost"] | None = None
    note: str = Field(default="", max_length=2000)


class ClaimReviewIn(In):
    note: str = Field(default="", max_length=2000)


class ClaimDecisionIn(In):
    decision: Literal["upheld:taken_down", "upheld:credit_added", "upheld:corrected", "rejected:rejected",
                      "rejected:licence_confirmed", "rejected:rejected_late", "needs_info"]
    note: str = Field(min_length=1, max_length=2000, description="the reason given to the claimant")
