"""Typed accessors for the options declared in ``config_declaration.yaml``.

Read configuration through these functions only, so each option has one
name, one type and one default.
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk

COLLEGES = ("research", "civil_society", "business", "local_authorities")


def college_seats(college: str) -> int:
    """How many seats the committee has for ``college``."""
    return tk.config[f"ckanext.cdm.seats.{college}"]


def is_demo() -> bool:
    """Whether this portal is a demonstration, where ``ckan cdm demo`` may run."""
    return tk.config["ckanext.cdm.demo"]


def demo_password() -> str:
    """Password given to every account that ``ckan cdm demo`` creates."""
    return tk.config["ckanext.cdm.demo.password"]


def notifications_enabled() -> bool:
    """Whether the review workflow sends e-mails."""
    return tk.config["ckanext.cdm.notifications.enabled"]


def page_size() -> int:
    """How many reviews a page of the dashboards lists (CKAN's pagination)."""
    return min(tk.config["ckanext.cdm.page_size"], 100)


def session_quorum() -> int:
    """The quorum set by the portal (0: a majority of the members in office)."""
    return tk.config["ckanext.cdm.session.quorum"]


def proxies_per_member() -> int:
    """How many proxies one present member may hold in a session."""
    return tk.config["ckanext.cdm.session.proxies_per_member"]


def opinion_schema_source() -> str:
    """Where the opinion schema is read (``module:path`` or a file path)."""
    return tk.config["ckanext.cdm.opinion_schema"]


def ethics_fields() -> list[str]:
    """The dataset fields whose change after an opinion makes it stale."""
    return tk.aslist(tk.config["ckanext.cdm.ethics_fields"])


def opinion_validity_months() -> int:
    """How many months a published opinion stays valid (then the badge is outdated)."""
    return tk.config["ckanext.cdm.opinion_validity_months"]


def charter_licence() -> dict[str, str]:
    """The open licence of the charter's versions: ``{"title": …, "url": …}``."""
    return {
        "title": tk.config["ckanext.cdm.charter_licence_title"],
        "url": tk.config["ckanext.cdm.charter_licence_url"],
    }


def committee_name() -> str:
    """The committee's name in the language being written (a page's, or an
    e-mail's under ``flask_babel.force_locale``): the portal's
    (``ckanext.cdm.committee_name.<lang>``), else the catalogue's."""
    import flask_babel

    language = str(flask_babel.get_locale() or "") or tk.h.lang() or "fr"
    name = tk.config.get(f"ckanext.cdm.committee_name.{language}") or ""
    return name.strip() or tk._("Metropolitan Data Committee")


def content_language() -> str:
    """The language the portal's people write in (``ckanext.cdm.content_language``,
    else ``ckan.locale_default``)."""
    language = (tk.config.get("ckanext.cdm.content_language") or "").strip()
    return language or tk.config.get("ckan.locale_default") or "en"
