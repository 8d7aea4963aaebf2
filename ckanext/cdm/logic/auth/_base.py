"""What the auth functions share."""

from __future__ import annotations

from ckan.types import AuthResult


def allow(allowed: bool, reason: str) -> AuthResult:
    return {"success": True} if allowed else {"success": False, "msg": reason}
