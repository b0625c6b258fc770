"""Hashing and sealing of secrets: argon2 for passwords, SHA-256 for random tokens, Fernet for TOTP seeds."""

from __future__ import annotations

import base64
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet
from flask import current_app

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing hash never matches."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A fresh unguessable token for a link or API credential."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """How a random token is stored: its SHA-256 (tokens carry enough entropy for a fast hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _fernet() -> Fernet:
    key = hashlib.sha256(b"aandacht-totp:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    """Encrypt a secret that must be read back (a TOTP seed) with a key derived from SECRET_KEY."""
    return _fernet().encrypt(value.encode()).decode()


def unseal(sealed: str) -> str:
    """Decrypt what `seal` made."""
    return _fernet().decrypt(sealed.encode()).decode()
