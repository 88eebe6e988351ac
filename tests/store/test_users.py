"""People's credentials: passwords (argon2id), one-time sign-in codes and expiring sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from callboard.errors import BadInput
from callboard.store import Principal, Role, UserStore
from callboard.store.schema import login_codes, users

ANN = Principal("ann", Role.AGENT, "ann")


@pytest.fixture
def people(store: Engine) -> UserStore:
    found = UserStore(store)
    found.add("ann", "agent", password="ann's long password")
    found.add("pbx", "integration")
    return found


def test_a_password_is_stored_as_argon2id_and_checked(people: UserStore, store: Engine) -> None:
    with store.connect() as conn:
        stored = conn.execute(select(users.c.password_hash).where(users.c.name == "ann")).scalar()
    assert stored is not None and stored.startswith("$argon2id$")
    assert "long password" not in stored
    assert people.check_password("ann", "ann's long password") == ANN
    assert people.check_password("ann", "ann's long passworD") is None
    assert people.check_password("nobody", "ann's long password") is None
    assert people.check_password("pbx", "any password at all") is None  # has none
    people.set_password("ann", "a new one, also long")
    assert people.check_password("ann", "ann's long password") is None
    assert people.check_password("ann", "a new one, also long") == ANN


def test_short_passwords_and_unknown_users_are_refused(people: UserStore) -> None:
    with pytest.raises(BadInput, match="at least 8 characters"):
        people.set_password("ann", "short")
    with pytest.raises(BadInput, match="no user named 'zoe'"):
        people.set_password("zoe", "long enough password")


def test_a_login_code_works_once_and_is_kept_only_as_a_hash(
    people: UserStore, store: Engine
) -> None:
    code = people.issue_login_code("ann")
    with store.connect() as conn:
        kept = conn.execute(select(login_codes.c.code_hash)).scalars().all()
    assert code not in kept and len(kept) == 1
    assert people.login_code_holder(code) == ANN  # looking does not use it up
    assert people.redeem_login_code(code) == ANN
    assert people.redeem_login_code(code) is None
    assert people.login_code_holder(code) is None
    assert people.redeem_login_code("not-a-code") is None


def test_an_expired_code_and_session_no_longer_sign_in(people: UserStore) -> None:
    stale = people.issue_login_code("ann", valid_s=-1)
    assert people.redeem_login_code(stale) is None
    session = people.issue_token("ann", expires_in_s=-1)
    assert people.authenticate(session) is None
    fresh = people.open_session("ann")
    assert people.authenticate(fresh) == ANN


def test_ending_a_session_leaves_integration_tokens_alone(people: UserStore) -> None:
    session = people.open_session("pbx")
    token = people.issue_token("pbx")
    people.end_session(session)
    people.end_session(token)  # not a session: sign-out cannot revoke it
    assert people.authenticate(session) is None
    assert people.authenticate(token) is not None
