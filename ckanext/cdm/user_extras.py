"""What the extension keeps about a CKAN user: ``plugin_extras["cdm"]``.

CKAN gives each plugin a private JSON object on the user
(``user.plugin_extras``): only sysadmins read or write it through
``user_show`` / ``user_update``, so a user cannot forge it. The extension
keeps under ``"cdm"``:

- ``language``: the language the user's e-mails are written in (set through
  ``cdm_user_preferences_update``);
- ``notifications``: the kinds of e-mail (:data:`KINDS`) the user receives
  (all of them until they choose);
- ``digest``: ``true`` when a committee member takes those e-mails in one
  daily digest instead of one by one;
- ``demo_account``: ``true`` on the accounts ``ckan cdm demo`` created, the
  only ones it may change afterwards.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

KEY = "cdm"

# The kinds of e-mail a user may choose to receive or not (docs/notifications.md):
# sessions convened, review requests to the committee, opinions published, the
# committee's requests to stewards (changes, self-referrals).
KINDS = ("agenda", "submissions", "opinions", "changes")


def read(user: model.User) -> dict[str, Any]:
    """The extension's extras of ``user`` (a copy; empty if none)."""
    extras = (user.plugin_extras or {}).get(KEY)
    return dict(extras) if isinstance(extras, dict) else {}


def write(user: model.User, **values: Any) -> None:
    """Set ``values`` in the extension's extras of ``user``, keeping the rest
    (other plugins' extras included); the caller commits."""
    extras = dict(user.plugin_extras or {})
    extras[KEY] = {**read(user), **values}
    user.plugin_extras = extras  # a new dict: SQLAlchemy sees the change


def is_demo_account(user: model.User) -> bool:
    """Whether ``ckan cdm demo`` created this account."""
    return read(user).get("demo_account") is True


def offered_languages() -> list[str]:
    """The languages a user may choose for their e-mails: the site's."""
    offered = tk.config.get("ckan.locales_offered") or []
    if isinstance(offered, str):  # as set at run time, e.g. by a test
        offered = offered.split()
    default = tk.config.get("ckan.locale_default") or "en"
    return list(dict.fromkeys([default, *offered]))


def language(user: model.User) -> str:
    """The language of ``user``'s e-mails: their choice if the site still
    offers it, the site's default language otherwise."""
    chosen = read(user).get("language")
    if chosen in offered_languages():
        return chosen
    return tk.config.get("ckan.locale_default") or "en"


def user_for(reference: object) -> model.User | None:
    """The user named by an id or a name given by a caller, or None. Junk
    (not a string, empty, NUL bytes, lone surrogates, too long) names no one,
    without reaching the database."""
    if not isinstance(reference, str) or not reference or len(reference) > 100:
        return None
    if "\x00" in reference:
        return None
    try:
        reference.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return model.User.get(reference)


def notification_kinds(user: model.User) -> list[str]:
    """The kinds of e-mail ``user`` receives (:data:`KINDS`, in that order):
    every kind until they choose."""
    chosen = read(user).get("notifications")
    if not isinstance(chosen, list):
        return list(KINDS)
    return [kind for kind in KINDS if kind in chosen]


def takes_digest(user: model.User) -> bool:
    """Whether ``user`` takes their e-mails in one daily digest."""
    return read(user).get("digest") is True
