"""What `serve` and `demo` tell people to open: sign-in links, the widget, the screens.

The sign-in links are one-time codes (store/users.py), never tokens: a link
printed to a terminal or pasted into a chat is good once, for minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from callboard.store import Principal, Role, UserStore

# The screens listed after the links, with the path each opens.
SCREENS = ("wallboard", "console", "agent", "reports", "kb")
_LANDING = {Role.ADMIN: "/console", Role.SUPERVISOR: "/console", Role.AGENT: "/agent"}


@dataclass(frozen=True)
class Opening:
    """One line to print: what it is and where (or, with no link to give, what to do)."""

    what: str
    url: str


def openings(users: UserStore, base: str, queues: Sequence[str]) -> list[Opening]:
    """One-time sign-in links for the first supervisor (or admin) and the first agent,
    the caller widget, the screens and the API docs."""
    people = users.people()
    lines = [
        _sign_in(users, base, "supervisor", people, (Role.SUPERVISOR, Role.ADMIN)),
        _sign_in(users, base, "agent", people, (Role.AGENT,)),
    ]
    widget = f"{base}/widget?queue={quote(queues[0])}" if queues else f"{base}/widget"
    lines.append(Opening("caller widget", widget))
    lines += [Opening(screen, f"{base}/{screen}") for screen in SCREENS]
    lines.append(Opening("API docs", f"{base}/docs"))
    return lines


def _sign_in(
    users: UserStore, base: str, what: str, people: list[Principal], roles: tuple[Role, ...]
) -> Opening:
    person = next((p for p in people if p.role in roles), None)
    if person is None:
        return Opening(
            f"{what} sign-in", f"no {what} yet: callboard user add NAME --role {roles[0]}"
        )
    code = users.issue_login_code(person.name)
    landing = quote(_LANDING[person.role])
    return Opening(f"sign in as {person.name}", f"{base}/login?code={code}&next={landing}")
