"""Users and their credentials: API tokens, sign-in sessions, passwords, one-time codes.

Tokens and codes are random, so only their SHA-256 is stored and a token is
shown once, when issued. A password is a person's choice, so it is hashed with
argon2id (store/passwords.py). A browser's session is a token too, one that
expires; integrations keep tokens that last until revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Select,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from callboard.errors import BadInput
from callboard.store.passwords import hash_password, needs_rehash, verify_password
from callboard.store.schema import api_tokens, login_codes, users

TOKEN_PREFIX = "cb_"
SESSION_S = 12 * 3600  # a browser's sign-in lasts one long shift
LOGIN_CODE_S = 15 * 60  # a one-time link is for opening now, not for keeping


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
    INTEGRATION = "integration"  # a PBX, CRM or survey system calling in


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    agent_id: str | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _principal(row: Row[*tuple[Any, ...]]) -> Principal:
    return Principal(row.name, Role(row.role), row.agent_id)


_PRINCIPAL = (users.c.name, users.c.role, users.c.agent_id)


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self, name: str, role: Role | str, *, agent_id: str | None = None,
        password: str | None = None,
    ) -> Principal:  # fmt: skip
        try:
            role = Role(role)
        except ValueError:
            raise BadInput(f"unknown role {role!r}; choose one of {', '.join(Role)}") from None
        if role == Role.AGENT and not agent_id:
            agent_id = name  # an agent's contacts and cases are matched on this id
        hashed = hash_password(password) if password is not None else None
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(users),
                    {"name": name, "role": role.value, "agent_id": agent_id,
                     "created_at": datetime.now(UTC), "password_hash": hashed},
                )  # fmt: skip
        except IntegrityError:
            raise BadInput(f"a user named {name!r} already exists") from None
        return Principal(name, role, agent_id)

    def people(self) -> list[Principal]:
        """Every user, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(*_PRINCIPAL).order_by(users.c.id))
            return [_principal(row) for row in rows]

    def agent_names(self) -> dict[str, str]:
        """Each agent id's user name: the person who signs in as that agent."""
        query = select(users.c.agent_id, users.c.name).where(users.c.agent_id.is_not(None))
        with self.engine.connect() as conn:
            return {row.agent_id: row.name for row in conn.execute(query)}

    # ------------------------------------------------------------ passwords

    def set_password(self, name: str, password: str) -> None:
        hashed = hash_password(password)
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(users).where(users.c.name == name).values(password_hash=hashed)
            ).rowcount
        if not changed:
            raise _no_user(name)

    def check_password(self, name: str, password: str) -> Principal | None:
        """The user `name` if `password` is theirs; None otherwise, for an unknown name
        as for a wrong password, after the same argon2 work."""
        query = select(*_PRINCIPAL, users.c.password_hash).where(users.c.name == name)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        stored = None if row is None else row.password_hash
        if not verify_password(stored, password) or row is None:
            return None
        if stored is not None and needs_rehash(stored):
            self.set_password(name, password)
        return _principal(row)

    # ------------------------------------------------------------ tokens and sessions

    def issue_token(self, name: str, *, expires_in_s: float | None = None) -> str:
        """A new random token for `name`; the caller must show it now, it is never stored.
        With `expires_in_s` it is a sign-in session that ends by itself."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        expires = None if expires_in_s is None else now + timedelta(seconds=expires_in_s)
        with self.engine.begin() as conn:
            user_id = _user_id(conn, name)
            if expires is not None:  # sessions ended long ago are not kept
                conn.execute(delete(api_tokens).where(api_tokens.c.expires_at < now))
            conn.execute(
                insert(api_tokens),
                {"user_id": user_id, "token_hash": _digest(token), "prefix": token[:10],
                 "created_at": now, "revoked": False, "expires_at": expires},
            )  # fmt: skip
        return token

    def open_session(self, name: str) -> str:
        """A browser's sign-in: a token that expires after `SESSION_S`."""
        return self.issue_token(name, expires_in_s=SESSION_S)

    def end_session(self, token: str) -> None:
        """Sign-out: the session's token stops working (an integration token is left alone)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(api_tokens)
                .where(
                    api_tokens.c.token_hash == _digest(token), api_tokens.c.expires_at.is_not(None)
                )
                .values(revoked=True)
            )

    def revoke(self, name: str) -> int:
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            result = conn.execute(
                update(api_tokens).where(api_tokens.c.user_id == user_id).values(revoked=True)
            )
            return int(result.rowcount)

    def authenticate(self, token: str) -> Principal | None:
        query = (
            select(*_PRINCIPAL)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(
                api_tokens.c.token_hash == _digest(token),
                api_tokens.c.revoked.is_(False),
                or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > datetime.now(UTC)),
            )
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _principal(row)

    # ------------------------------------------------------------ one-time sign-in codes

    def issue_login_code(self, name: str, *, valid_s: float = LOGIN_CODE_S) -> str:
        """A code for a sign-in link: good once, for `valid_s`; only its hash is kept."""
        code = secrets.token_urlsafe(24)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            user_id = _user_id(conn, name)
            conn.execute(delete(login_codes).where(login_codes.c.expires_at < now))
            conn.execute(
                insert(login_codes),
                {"user_id": user_id, "code_hash": _digest(code), "created_at": now,
                 "expires_at": now + timedelta(seconds=valid_s), "used_at": None},
            )  # fmt: skip
        return code

    def login_code_holder(self, code: str) -> Principal | None:
        """Whose unused, unexpired code this is, without using it up."""
        with self.engine.connect() as conn:
            row = conn.execute(_code_holder(code, datetime.now(UTC))).first()
        return None if row is None else _principal(row)

    def redeem_login_code(self, code: str) -> Principal | None:
        """The code's user, once: the code is marked used in the same statement that
        checks it, so two requests racing with one code cannot both sign in."""
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(_code_holder(code, now)).first()
            used = conn.execute(
                update(login_codes).where(*_usable(code, now)).values(used_at=now)
            ).rowcount
        return None if row is None or used != 1 else _principal(row)


def _usable(code: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        login_codes.c.code_hash == _digest(code),
        login_codes.c.used_at.is_(None),
        login_codes.c.expires_at > now,
    )


def _code_holder(code: str, now: datetime) -> Select[tuple[str, str, str | None]]:
    return (
        select(*_PRINCIPAL)
        .join(login_codes, login_codes.c.user_id == users.c.id)
        .where(*_usable(code, now))
    )


def _user_id(conn: Connection, name: str) -> int:
    user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
    if user_id is None:
        raise _no_user(name)
    return int(user_id)


def _no_user(name: str) -> BadInput:
    return BadInput(f"no user named {name!r}; add one with `callboard user add`")
