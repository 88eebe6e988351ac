"""Users and API tokens. A token is shown once when issued; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from callboard.errors import BadInput
from callboard.store.schema import api_tokens, users

TOKEN_PREFIX = "cb_"


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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, name: str, role: Role | str, *, agent_id: str | None = None) -> Principal:
        try:
            role = Role(role)
        except ValueError:
            raise BadInput(f"unknown role {role!r}; choose one of {', '.join(Role)}") from None
        if role == Role.AGENT and not agent_id:
            agent_id = name  # an agent's contacts and cases are matched on this id
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(users),
                    {"name": name, "role": role.value, "agent_id": agent_id,
                     "created_at": datetime.now(UTC)},
                )  # fmt: skip
        except IntegrityError:
            raise BadInput(f"a user named {name!r} already exists") from None
        return Principal(name, role, agent_id)

    def agent_names(self) -> dict[str, str]:
        """Each agent id's user name: the person who signs in as that agent."""
        query = select(users.c.agent_id, users.c.name).where(users.c.agent_id.is_not(None))
        with self.engine.connect() as conn:
            return {row.agent_id: row.name for row in conn.execute(query)}

    def issue_token(self, name: str) -> str:
        """A new random token for `name`; the caller must show it now, it is never stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if user_id is None:
                raise BadInput(f"no user named {name!r}; add one with `callboard user add`")
            conn.execute(
                insert(api_tokens),
                {"user_id": user_id, "token_hash": _digest(token), "prefix": token[:10],
                 "created_at": datetime.now(UTC), "revoked": False},
            )  # fmt: skip
        return token

    def revoke(self, name: str) -> int:
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            result = conn.execute(
                update(api_tokens).where(api_tokens.c.user_id == user_id).values(revoked=True)
            )
            return int(result.rowcount)

    def authenticate(self, token: str) -> Principal | None:
        query = (
            select(users.c.name, users.c.role, users.c.agent_id)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == _digest(token), api_tokens.c.revoked.is_(False))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else Principal(row.name, Role(row.role), row.agent_id)
