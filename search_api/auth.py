"""Bearer-token authentication of the legal office's routes, and the write rate limit.

Tokens are checked with :func:`gazette.auth.verify` against the hashed tokens in
``settings.write_tokens``; the token's *name* is the actor recorded on every write.

* no ``Authorization: Bearer …`` header → 401 with ``WWW-Authenticate: Bearer``;
* a token that is not configured (or no tokens configured at all) → 403;
* more than ``settings.write_rate_per_minute`` writes by one token in any 60 seconds
  → 429 with ``Retry-After``.

Authentication runs *before* the request body is read or validated (see
:class:`TokenRoute`), so an unauthenticated client learns nothing about a route's
input rules and a refused write costs no parsing. The routes also declare the
:data:`bearer` security scheme, which documents the header in OpenAPI.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer

from gazette.auth import verify
from search_api.errors import ApiError
from search_api.ratelimit import SlidingWindowLimiter

REALM = "gazette-archive"

#: The security scheme shown in OpenAPI; the check itself is :func:`authenticate`.
bearer = HTTPBearer(auto_error=False, description="Legal-office token (法制机构令牌): `Authorization: Bearer <token>`.")


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else ``None``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def authenticate(request: Request) -> str:
    """The name of the request's token; :class:`ApiError` 401/403 otherwise."""
    token = bearer_token(request)
    if token is None:
        raise ApiError(
            401,
            "unauthorized",
            "需要法制机构令牌：请在 Authorization 头中提供 Bearer 令牌 (a bearer token is required)",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'},
        )
    name = verify(token, request.app.state.settings.write_tokens)
    if name is None:
        raise ApiError(403, "forbidden", "令牌无效或未获授权 (the token is not accepted)")
    return name


def check_write_rate(request: Request, actor: str) -> None:
    """Count one write for ``actor``; :class:`ApiError` 429 when over the limit."""
    limiter: SlidingWindowLimiter = request.app.state.write_limiter
    wait = limiter.hit(actor)
    if wait is not None:
        raise ApiError(
            429,
            "too_many_requests",
            f"写入过于频繁，请 {wait} 秒后再试 (write rate limit of {limiter.limit} per minute reached;"
            f" retry after {wait} s)",
            headers={"Retry-After": str(wait)},
        )


class TokenRoute(APIRoute):
    """A route that authenticates (and, for writes, rate-limits) before anything else.

    FastAPI reads and parses the body before it solves dependencies, so a dependency
    would answer a malformed body from an anonymous client with 400; wrapping the
    handler puts the token check first. The actor is left in ``request.state.actor``.
    """

    rate_limited = False

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()
        rate_limited = self.rate_limited

        async def guarded(request: Request) -> Response:
            actor = authenticate(request)
            if rate_limited:
                check_write_rate(request, actor)
            request.state.actor = actor
            return await handler(request)

        return guarded


class WriteRoute(TokenRoute):
    """A :class:`TokenRoute` whose requests count towards the token's write rate."""

    rate_limited = True


def current_actor(request: Request, _: Annotated[object, Depends(bearer)] = None) -> str:
    """The authenticated token name (set by :class:`TokenRoute`)."""
    actor = getattr(request.state, "actor", None)
    if actor is None:  # a route outside TokenRoute: authenticate here
        actor = authenticate(request)
    return actor


ActorDep = Annotated[str, Depends(current_actor)]
