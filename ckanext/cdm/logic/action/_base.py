"""What every action of ckanext-cdm shares.

Each action reads the same way: check access → validate → change → record in
the audit trail → commit → return the dictized object. Auth functions run on
the raw input, so they read ids through ``logic.auth._base.id_in``, which
treats junk as an unknown id and never sends it to the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict
from sqlalchemy.orm.exc import StaleDataError

from ckanext.cdm.model.charter import Charter
from ckanext.cdm.model.publish_once import PublishOnce
from ckanext.cdm.model.versioned import Versioned, stale_messages


def validate(data_dict: DataDict, schema: dict[str, Any], context: Context) -> DataDict:
    """The data validated by ``schema``, or a ``ValidationError`` naming the fields."""
    shape = {
        key: [tk._("Expected a list of objects.")]
        for key, inner in schema.items()
        if isinstance(inner, dict)
        and data_dict.get(key) not in (None, "")
        and not (
            isinstance(data_dict[key], list)
            and all(isinstance(item, dict) for item in data_dict[key])
        )
    }
    if shape:
        raise tk.ValidationError(shape)
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    return data


def commit(context: Context) -> None:
    """Commit, unless the caller defers it. A row that a concurrent
    transaction saved meanwhile (SQLAlchemy's ``StaleDataError`` on a
    versioned row, ``model/versioned.py``) is the refusal of a stale save."""
    if context.get("defer_commit"):
        return
    try:
        model.repo.commit()
    except StaleDataError:
        model.Session.rollback()
        raise tk.ValidationError({"version": stale_messages([])}) from None


def checked(record: Versioned, version: int | None) -> None:
    """Refuse a save drawn from another ``version`` than the row's (read
    under its lock), releasing the lock. A published document is left to its
    own refusal (it has no new version to name)."""
    if isinstance(record, PublishOnce) and record.is_published:
        return
    try:
        record.ensure_version(version)
    except tk.ValidationError:
        model.Session.rollback()
        raise


def date_of(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def package_or_404(id_or_name: str) -> model.Package:
    package = model.Package.get(id_or_name)
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


def adopted_charter() -> Charter:
    charter = Charter.adopted()
    if charter is None:
        raise tk.ValidationError(
            {"charter": [tk._("The committee has not adopted a charter yet.")]}
        )
    return charter
