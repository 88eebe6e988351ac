"""Password hashing: argon2id, the memory-hard KDF RFC 9106 recommends.

A token is 256 random bits, so SHA-256 keeps it safe; a password is chosen by a
person, so a stolen table must cost an attacker memory and time per guess. The
parameters are argon2-cffi's defaults (RFC 9106's second recommendation: 64 MiB,
3 passes), and a hash made with older ones is upgraded at the next sign-in.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from callboard.errors import BadInput

MIN_LENGTH = 8  # NIST SP 800-63B's floor for a chosen secret
MAX_LENGTH = 1024  # beyond this a "password" is an attack on the hasher's time

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The stored form of `password`; BadInput for one too short or too long."""
    if len(password) < MIN_LENGTH:
        raise BadInput(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise BadInput(f"a password may have at most {MAX_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored`. A user without a password is checked
    against a dummy hash, so the answer takes as long as for a real one and does
    not tell which names exist."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


@cache
def _dummy() -> str:
    return _hasher.hash("not anybody's password")
