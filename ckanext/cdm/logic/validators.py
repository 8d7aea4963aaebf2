"""Validators of ckanext-cdm (registered by name through the validators blanket).

They are strict: a text is a ``str`` (a list or an object is refused, never
turned into its ``str()``), without NUL characters or lone surrogates, and of a
bounded length; a date is an ISO day ``YYYY-MM-DD``; a number is an integer in
its range. Junk is a ``ValidationError`` naming the field, before any query.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from ckan.plugins import toolkit as tk
from ckanext.scheming.validation import scheming_validator

from ckanext.cdm.logic.text import ID_MAX, checked_text, json_text, usable_id
from ckanext.cdm.model import base as model_base
from ckanext.cdm.model.charter import Charter

LANGUAGES = ("fr", "en")
STRING_MAX = 500  # one-line values: a reference, an affiliation
QUERY_MAX = 200  # words searched for
TEXT_MAX = 20_000  # messages, justifications, texts of the charter
LIMIT_MAX = 100
OFFSET_MAX = 1_000_000
TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3}){1,2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[0-9]{1,10}$")  # ASCII digits only (not "٢٠٢٥")


def _stops(check: Callable[[Any], Any]) -> Callable[..., None]:
    """A navl validator from ``check``: a refused value is an error on its
    field and stops the validators after it (a CKAN validator raising
    ``Invalid`` lets the next ones run, e.g. a query with the refused value)."""

    @functools.wraps(check)
    def validator(key, data, errors, context) -> None:
        try:
            data[key] = check(data.get(key))
        except tk.Invalid as error:
            errors[key].append(error.error)
            raise tk.StopOnError from None

    return validator


def _shown(value: Any) -> str:
    """``value`` quoted in a message only when it is a clean short text."""
    return usable_id(value) or "…"


@_stops
def cdm_id(value: Any) -> str:
    """The id or name of an object: a text of at most 100 characters."""
    return checked_text(value, ID_MAX)


# characters that change how a line reads without being seen: the bidi
# embeddings, overrides and isolates, and the zero-width space
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b")


def one_line(text: str) -> str:
    """``text`` if it holds no line break (CR, LF, vertical tab, form feed,
    U+2028/U+2029, any control character but a tab) and none of the invisible
    characters that would make it read otherwise than it is (a right-to-left
    override, a zero-width space), else ``Invalid``: the one rule of every
    one-line field (a title, a place, a reference)."""
    if any(c != "\t" and unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        raise tk.Invalid(tk._("Expected a single line."))
    if any(c in _INVISIBLE for c in text):
        raise tk.Invalid(
            tk._("Invisible characters (such as a right-to-left override) are not accepted.")
        )
    return text


@_stops
def cdm_query(value: Any) -> str:
    """Words searched for: a one-line text of at most 200 characters, without
    its outer spaces."""
    return one_line(checked_text(value, QUERY_MAX).strip())


@_stops
def cdm_string(value: Any) -> str:
    """A one-line text of at most 500 characters."""
    return one_line(checked_text(value, STRING_MAX))


@_stops
def cdm_required_text(value: Any) -> str:
    """A text of at most 20,000 characters with something else than spaces
    (a request for changes): returned without its outer spaces."""
    text = checked_text(value, TEXT_MAX).strip()
    if not text:
        raise tk.Invalid(tk._("Missing value"))
    return text


@_stops
def cdm_long_text(value: Any) -> str:
    """A text of at most 20,000 characters (a message, a justification)."""
    return checked_text(value, TEXT_MAX)


@_stops
def cdm_iso_date(value: Any) -> dt.date | None:
    """A day: ``YYYY-MM-DD`` (or a date); an empty text is no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value == "":
        return None
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise tk.Invalid(tk._("Expected a date as YYYY-MM-DD."))


@_stops
def cdm_bool(value: Any) -> bool:
    """``true``/``false``, also ``yes``/``no`` and ``1``/``0`` (in any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        if value.strip().lower() in TRUE_WORDS:
            return True
        if value.strip().lower() in FALSE_WORDS:
            return False
    raise tk.Invalid(tk._("Expected true or false."))


@_stops
def cdm_notification_kinds(value: Any) -> list[str]:
    """Kinds of e-mail (``user_extras.KINDS``): a list, or one text of kinds
    separated by commas or spaces; an empty list or text is none."""
    from ckanext.cdm.user_extras import KINDS

    if isinstance(value, str) and len(value) <= 200:
        value = re.split(r"[\s,]+", value.strip()) if value.strip() else []
    if not isinstance(value, list) or len(value) > len(KINDS) * 2:
        raise tk.Invalid(tk._("Expected a list of kinds of e-mail."))
    unknown = [item for item in value if item not in KINDS]
    if unknown:
        raise tk.Invalid(
            tk._("Unknown kind of e-mail: {kind}. Expected some of: {kinds}.").format(
                kind=_shown(unknown[0]), kinds=", ".join(KINDS)
            )
        )
    return [kind for kind in KINDS if kind in value]


def _integer(value: Any, maximum: int) -> int:
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise tk.Invalid(tk._("Expected a whole number between 0 and {max}.").format(max=maximum))
    return value


VERSION_MAX = 2**31 - 1


@_stops
def cdm_version(value: Any) -> int:
    """The version of a record a form was drawn from (``model/versioned.py``):
    a whole number from 0 to 2,147,483,647 (PostgreSQL's integer)."""
    return _integer(value, VERSION_MAX)


@_stops
def cdm_limit(value: Any) -> int:
    """A page size: a whole number from 0 to 100."""
    return _integer(value, LIMIT_MAX)


@_stops
def cdm_offset(value: Any) -> int:
    """Where a page starts: a whole number from 0 to 1,000,000."""
    return _integer(value, OFFSET_MAX)


def _translated(value: Any, required: bool, line: bool = False) -> dict[str, str]:
    if isinstance(value, str):
        try:
            value = json_text(checked_text(value, TEXT_MAX * 2))
        except ValueError:
            raise tk.Invalid(tk._('Expected an object {"fr": "…", "en": "…"}.')) from None
    if not isinstance(value, dict):
        raise tk.Invalid(tk._('Expected an object {"fr": "…", "en": "…"}.'))
    texts = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if text is None:
            text = ""
        try:
            texts[lang] = checked_text(text, STRING_MAX if line else TEXT_MAX).strip()
            if line:
                one_line(texts[lang])
        except tk.Invalid as error:
            raise tk.Invalid(f"{lang}: {error.error}") from None
    missing = [lang for lang in LANGUAGES if not texts[lang]]
    if required and missing:
        raise tk.Invalid(tk._("Missing text in: {languages}.").format(languages=", ".join(missing)))
    return texts


@_stops
def cdm_translated_text(value: Any) -> dict[str, str]:
    """A text in French and English: ``{"fr": "…", "en": "…"}`` (or its JSON)."""
    return _translated(value, required=True)


@_stops
def cdm_translated_line(value: Any) -> dict[str, str]:
    """A one-line text (a title) in French and English, each of at most 500
    characters: ``{"fr": "…", "en": "…"}`` (or its JSON)."""
    return _translated(value, required=True, line=True)


@_stops
def cdm_optional_translated_text(value: Any) -> dict[str, str]:
    """Like ``cdm_translated_text`` but every language may be empty."""
    if value in (None, "", {}):
        return dict.fromkeys(LANGUAGES, "")
    return _translated(value, required=False)


@_stops
def cdm_code(value: Any) -> str:
    """A stable identifier: lowercase letters, digits and underscores."""
    return _code(value)


def _code(value: Any) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise tk.Invalid(
            tk._("Use 2 to 50 lowercase letters, digits or underscores, starting with a letter.")
        )
    return value


@_stops
def cdm_charter_number(value: Any) -> str:
    """A short dotted version number such as ``1.0``, ``2.1`` or ``1.2.3``."""
    if not isinstance(value, str) or not _NUMBER.match(value.strip()):
        raise tk.Invalid(tk._("A version number looks like 1.0 or 2.1."))
    return value.strip()


@_stops
def cdm_charter_exists(value: Any) -> str:
    """The id or number of an existing charter version; returns its id."""
    charter = Charter.get(checked_text(value, ID_MAX))
    if charter is None:
        raise tk.Invalid(tk._("No charter version {value}.").format(value=value))
    return charter.id


@_stops
def cdm_questions(value: Any) -> list[dict[str, str]]:
    """Guiding questions: ``[{"code": …, "fr": …, "en": …}, …]``, codes unique."""
    if isinstance(value, str):
        try:
            value = json_text(checked_text(value, TEXT_MAX * 2))
        except ValueError:
            raise tk.Invalid(tk._("Expected a list of questions.")) from None
    if not isinstance(value, list) or not value:
        raise tk.Invalid(tk._("A principle needs at least one guiding question."))
    questions, codes = [], set()
    for index, question in enumerate(value, start=1):
        if not isinstance(question, dict):
            raise tk.Invalid(tk._("Question {n} is not an object.").format(n=index))
        code = question.get("code")
        try:
            _code(code.strip() if isinstance(code, str) else code)
        except tk.Invalid:
            raise tk.Invalid(tk._("Question {n} has no valid code.").format(n=index)) from None
        code = code.strip()
        if code in codes:
            raise tk.Invalid(tk._("Question code {code} is repeated.").format(code=code))
        codes.add(code)
        try:
            text = _translated({lang: question.get(lang) for lang in LANGUAGES}, required=True)
        except tk.Invalid as error:
            raise tk.Invalid(f"{code}: {error.error}") from None
        questions.append({"code": code, **text})
    return questions


def cdm_unique_principle_codes(key, data, errors, context):
    """Each principle of a charter has its own code (run after the principles)."""
    codes = {k: v for k, v in data.items() if k[0] == "principles" and k[2:] == ("code",)}
    seen: set[str] = set()
    for field in sorted(codes, key=lambda k: k[1]):
        code = codes[field]
        if errors.get(field) or not isinstance(code, str):
            continue  # refused already
        if code in seen:
            errors.setdefault(field, []).append(
                tk._("Principle codes must be unique: {code}.").format(code=code)
            )
        seen.add(code)


@_stops
def cdm_answers(value: Any) -> dict[str, dict[str, str]]:
    """Self-assessment answers: ``{question_code: {"status", "justification"}}``.

    Each code is a guiding question of the adopted charter; a status is one of
    ``yes``, ``partly``, ``no``, ``not_applicable``, or empty with an empty
    justification, which clears the answer. The justification is a text.
    """
    from ckanext.cdm.model.self_assessment import ANSWER_STATUSES

    if not isinstance(value, dict):
        raise tk.Invalid(tk._("Expected an object of answers by question."))
    charter = Charter.adopted()
    known = {q["code"] for p in charter.principles for q in p.questions} if charter else None
    problems: list[str] = []
    answers: dict[str, dict[str, str]] = {}
    for code, answer in value.items():
        if known is not None and code not in known:
            problems.append(tk._("Unknown question: {code}.").format(code=_shown(code)))
            continue
        if not isinstance(answer, dict):
            problems.append(
                tk._("The answer to {code} must be an object.").format(code=_shown(code))
            )
            continue
        status, justification = answer.get("status"), answer.get("justification")
        try:
            status = checked_text("" if status is None else status, ID_MAX).strip()
            justification = checked_text(
                "" if justification is None else justification, TEXT_MAX
            ).strip()
        except tk.Invalid as error:
            problems.append(f"{_shown(code)}: {error.error}")
            continue
        if (status and status not in ANSWER_STATUSES) or (justification and not status):
            problems.append(
                tk._("The answer to {code} needs a status among: {choices}.").format(
                    code=_shown(code), choices=", ".join(ANSWER_STATUSES)
                )
            )
            continue
        answers[code] = {"status": status, "justification": justification}
    if problems:
        raise tk.Invalid(" ".join(problems))
    return answers


def _required_when(key, data, errors, other_field: str, values: tuple[str, ...], message: str):
    value = data.get(key)
    missing = value is None or value is tk.missing or str(value).strip() == ""
    if missing and data.get((other_field,)) in values:
        errors[key].append(message)
        raise tk.StopOnError
    if missing:
        data.pop(key, None)
        raise tk.StopOnError


def cdm_required_with_personal_data(key, data, errors, context):
    """The GDPR legal basis is required for personal or pseudonymised data."""
    _required_when(
        key,
        data,
        errors,
        "personal_data",
        ("personal", "pseudonymised"),
        tk._("A legal basis is required for personal or pseudonymised data."),
    )


def cdm_required_with_algorithmic_use(key, data, errors, context):
    """The description of the algorithm is required when the data feeds one."""
    _required_when(
        key,
        data,
        errors,
        "algorithmic_use",
        ("yes",),
        tk._("Describe the algorithm that uses the data."),
    )


# Opinion fields (named by the opinion schema, schemas/opinion.yaml)


def cdm_required_with_reservations(key, data, errors, context):
    """Reservations are required when the verdict is favourable with reservations."""
    _required_when(
        key,
        data,
        errors,
        "verdict",
        ("favorable_with_reservations",),
        tk._("Reservations are required when the opinion is favourable with reservations."),
    )


@scheming_validator
def cdm_opinion_assessments(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
    """The assessment of each principle of the review's charter version:
    ``{principle_code: {"status": …, "comment": …}}``, a status among the
    field's choices. The charter is ``context["cdm_charter"]``; a draft
    (``context["cdm_draft"]``) may leave principles unassessed, a publication
    may not."""
    statuses = [choice["value"] for choice in field.get("choices", [])]

    def validator(key, data, errors, context) -> None:
        value = data.get(key)
        if value is None or value is tk.missing or value == "":
            value = {}
        if not isinstance(value, dict):
            errors[key].append(tk._("Expected an object of assessments by principle."))
            raise tk.StopOnError
        charter = context.get("cdm_charter")
        codes = [p.code for p in charter.principles] if charter else list(value)
        problems: list[str] = []
        result: dict[str, dict[str, str]] = {}
        for code, item in value.items():
            if code not in codes:
                problems.append(tk._("Unknown principle: {code}.").format(code=_shown(code)))
                continue
            if not isinstance(item, dict):
                problems.append(
                    tk._("The assessment of {code} must be an object.").format(code=_shown(code))
                )
                continue
            try:
                status = checked_text(item.get("status") or "", STRING_MAX).strip()
                comment = checked_text(item.get("comment") or "", TEXT_MAX).strip()
            except tk.Invalid as error:
                problems.append(f"{_shown(code)}: {error.error}")
                continue
            if status and status not in statuses:
                problems.append(
                    tk._("The assessment of {code} needs a status among: {choices}.").format(
                        code=_shown(code), choices=", ".join(statuses)
                    )
                )
                continue
            if status or comment:
                result[code] = {"status": status, "comment": comment}
        missing = [c for c in codes if not result.get(c, {}).get("status")]
        if missing and not context.get("cdm_draft"):
            problems.append(
                tk._("Assess every principle: {codes}.").format(codes=", ".join(missing))
            )
        if problems:
            errors[key].append(" ".join(problems))
            raise tk.StopOnError
        data[key] = result

    return validator


# Publishing an opinion

VOTES_MAX = 1_000


@_stops
def cdm_vote_count(value: Any) -> int:
    """A number of votes: a whole number from 0 to 1,000."""
    return _integer(value, VOTES_MAX)


@_stops
def cdm_user_ids(value: Any) -> list[str]:
    """A list of users (ids or login names), at most 100; returns their ids.
    An empty text or ``None`` is the empty list."""
    from ckan import model

    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or len(value) > LIMIT_MAX:
        raise tk.Invalid(tk._("Expected a list of users."))
    ids: list[str] = []
    for item in value:
        ref = usable_id(item)
        user = model.User.get(ref) if ref else None
        if user is None or user.state != "active":
            raise tk.Invalid(tk._("Unknown user: {user}.").format(user=_shown(item)))
        if user.id not in ids:
            ids.append(user.id)
    return ids


@_stops
def cdm_year(value: Any) -> int:
    """A year, from 2000 to 2999."""
    year = _integer(value, 2999)
    if year < 2000:
        raise tk.Invalid(tk._("Expected a year such as 2026."))
    return year


# Sessions

_LOCAL_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(Z|[+-]\d{2}:\d{2})?$")
IDS_MAX = 200  # members of a session, reviews of an agenda


@_stops
def cdm_local_datetime(value: Any) -> dt.datetime:
    """A day and a time, ``YYYY-MM-DDTHH:MM``, in the portal's time zone
    (``ckan.display_timezone``); with an offset (``+01:00``, ``Z``) it is read
    as such. Returns an aware datetime."""
    if isinstance(value, str) and (match := _LOCAL_DATETIME.match(value.strip())):
        try:
            moment = dt.datetime.fromisoformat(
                f"{match[1]}T{match[2]}" + (match[3] or "") + (match[4] or "")
            )
        except ValueError:
            moment = None
        if moment is not None and 2000 <= moment.year <= 2999:
            if moment.tzinfo is None:
                from ckan.lib.helpers import get_display_timezone

                zone = get_display_timezone()
                localize = getattr(zone, "localize", None)  # pytz; zoneinfo for "server"
                moment = localize(moment) if localize else moment.replace(tzinfo=zone)
            return moment.astimezone(dt.timezone.utc)
    raise tk.Invalid(tk._("Expected a day and a time as YYYY-MM-DDTHH:MM."))


def _id_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]  # one value of a form
    if not isinstance(value, list) or len(value) > IDS_MAX:
        raise tk.Invalid(tk._("Expected a list of ids or names."))
    ids = []
    for item in value:
        if usable_id(item) is None:
            raise tk.Invalid(tk._("Expected a list of ids or names."))
        ids.append(item.strip())
    return list(dict.fromkeys(i for i in ids if i))


@_stops
def cdm_id_list(value: Any) -> list[str]:
    """A list of ids or names (at most 200; one text is a list of one)."""
    return _id_list(value)


def _proxy(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        giver, holder = usable_id(value.get("giver")), usable_id(value.get("holder"))
        if giver and holder:
            return {"giver": giver.strip(), "holder": holder.strip()}
    raise tk.Invalid(tk._('A proxy is an object {"giver": …, "holder": …} of two members.'))


@_stops
def cdm_proxy(value: Any) -> dict[str, str]:
    """One proxy: ``{"giver": id or name, "holder": id or name}``."""
    return _proxy(value)


@_stops
def cdm_proxies(value: Any) -> list[dict[str, str]]:
    """Proxies: ``[{"giver": id or name, "holder": id or name}, …]`` (at most 200)."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > IDS_MAX:
        raise tk.Invalid(tk._("Expected a list of proxies."))
    return [_proxy(item) for item in value]


# Annual reports

REPORT_TEXT_MAX = 100_000  # a section of the annual report (markdown)


@_stops
def cdm_report_year(value: Any) -> int:
    """A year of the committee's life: from 2000 to the current year."""
    year = _integer(value, 2999)
    current = model_base.today().year
    if not 2000 <= year <= current:
        raise tk.Invalid(tk._("Expected a year from 2000 to {year}.").format(year=current))
    return year


@_stops
def cdm_report_text(value: Any) -> str:
    """A section of the annual report: markdown, at most 100,000 characters."""
    return checked_text(value, REPORT_TEXT_MAX)


# Citizen meetings

URL_MAX = 2_000


@_stops
def cdm_http_url(value: Any) -> str | None:
    """An ``http://`` or ``https://`` address with a host, on one line (at
    most 2,000 characters); an empty text is no address."""
    from urllib.parse import urlsplit

    text = checked_text(value, URL_MAX).strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in text)
    ):
        raise tk.Invalid(tk._("Expected a web address starting with https:// or http://."))
    if parts.username is not None or parts.password is not None:
        # « https://mairie.fr@ailleurs.org » leads elsewhere than it reads
        raise tk.Invalid(tk._("A web address must not contain a user name (“…@”)."))
    return text


@_stops
def cdm_required_line(value: Any) -> str:
    """A one-line text (at most 500 characters) with something else than
    spaces: returned without its outer spaces."""
    text = one_line(checked_text(value, STRING_MAX).strip())
    if not text:
        raise tk.Invalid(tk._("Missing value"))
    return text
