"""Users, API tokens and sign-in attempts (admin only; every change audited by the accounts service)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from newsrights.api.deps import DB, Id, Me, Page, page_of, state
from newsrights.api.schemas import (
    LoginAttemptOut,
    PageOut,
    TokenCreated,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPatch,
)
from newsrights.services import accounts, login_attempts
from newsrights.storage.db import transaction

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.get("/users", response_model=PageOut[UserOut])
def list_users(session: DB, page: Page) -> PageOut[UserOut]:
    users = accounts.list_users(session)
    chunk, nxt = page_of(users, page)
    return PageOut[UserOut](items=[UserOut(**u.to_json()) for u in chunk], total=len(users),
                            limit=page.limit, offset=page.offset, next_offset=nxt)


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, request: Request, me: Me) -> UserOut:
    with transaction(state(request).factory) as s:
        user = accounts.create_user(s, username=body.username, password=body.password, role=body.role,
                                    display_name=body.display_name, party_id=body.party_id,
                                    actor=me.user.username)
    return UserOut(**user.to_json())


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(user_id: Id, body: UserPatch, request: Request, me: Me) -> UserOut:
    with transaction(state(request).factory) as s:
        user = accounts.update_user(s, user_id, actor=me.user.username, role=body.role, active=body.active,
                                    password=body.password, display_name=body.display_name,
                                    party_id=body.party_id)
    return UserOut(**user.to_json())


@router.get("/tokens", response_model=PageOut[TokenOut])
def list_tokens(session: DB, page: Page, user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> PageOut[TokenOut]:
    tokens = accounts.list_tokens(session, user_id)
    chunk, nxt = page_of(tokens, page)
    return PageOut[TokenOut](items=[TokenOut(**t.to_json()) for t in chunk], total=len(tokens),
                             limit=page.limit, offset=page.offset, next_offset=nxt)


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenIn, request: Request, me: Me) -> TokenCreated:
    with transaction(state(request).factory) as s:
        token, info = accounts.create_token(s, body.user_id, name=body.name, actor=me.user.username)
    return TokenCreated(token=token, info=TokenOut(**info.to_json()))


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: Id, request: Request, me: Me) -> None:
    with transaction(state(request).factory) as s:
        accounts.revoke_token(s, token_id, actor=me.user.username)


@router.get("/login-attempts", response_model=PageOut[LoginAttemptOut])
def list_login_attempts(
    session: DB, page: Page,
    username: Annotated[str | None, Query(max_length=80)] = None,
    client: Annotated[str | None, Query(max_length=64)] = None,
    outcome: Annotated[Literal["ok", "failed", "refused", "unlocked"] | None, Query()] = None,
) -> PageOut[LoginAttemptOut]:
    """Sign-in attempts, newest first (the installation-wide lockout counts the ``failed`` ones)."""
    items, total = login_attempts.list_attempts(session, username=username, client=client, outcome=outcome,
                                                limit=page.limit, offset=page.offset)
    more = page.offset + page.limit < total
    return PageOut[LoginAttemptOut](items=[LoginAttemptOut(**a.to_json()) for a in items], total=total,  # type: ignore[arg-type]
                                    limit=page.limit, offset=page.offset,
                                    next_offset=page.offset + page.limit if more else None)
