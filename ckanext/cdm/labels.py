"""Human labels of the codes of the domain, in the language of the request."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from flask_babel import pgettext

FORMS_OF_ADDRESS = ("madame", "monsieur")


def college_label(college: str) -> str:
    labels = {
        "research": tk._("Higher education and research"),
        "civil_society": tk._("Associations, qualified personalities and civil society"),
        "business": tk._("Businesses"),
        "local_authorities": tk._("Local authorities"),
    }
    return labels.get(college, college)


def role_label(role: str, form_of_address: str | None = None) -> str:
    """The role, in the holder's grammatical gender when the seat records it."""
    if form_of_address == "madame":
        labels = {
            "president": pgettext("woman", "President"),
            "member": pgettext("woman", "Member"),
        }
    elif form_of_address == "monsieur":
        labels = {"president": pgettext("man", "President"), "member": pgettext("man", "Member")}
    else:
        labels = {"president": tk._("President"), "member": tk._("Member")}
    return labels.get(role, role)


def form_of_address_label(form_of_address: str) -> str:
    labels = {"madame": tk._("Ms"), "monsieur": tk._("Mr")}
    return labels.get(form_of_address, form_of_address)


def charter_status_label(status: str) -> str:
    labels = {
        "draft": tk._("Draft"),
        "adopted": tk._("Adopted"),
        "superseded": tk._("Superseded"),
    }
    return labels.get(status, status)


def review_state_label(state: str) -> str:
    labels = {
        "submitted": tk._("submitted"),
        "in_review": tk._("in review"),
        "changes_requested": tk._("waiting for changes"),
        "opinion_issued": tk._("closed by an opinion"),
        "withdrawn": tk._("withdrawn"),
    }
    return labels.get(state, state)


def answer_status_label(status: str) -> str:
    labels = {
        "yes": tk._("Yes"),
        "partly": tk._("Partly"),
        "no": tk._("No"),
        "not_applicable": tk._("Not applicable"),
    }
    return labels.get(status, status)


def name_key(name: str | None) -> tuple[str, str]:
    """Sort key of a person's name in alphabetical order as a French reader
    expects it: accents and case ignored first (« Éloïse » with the E's)."""
    import unicodedata

    text = name or ""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.casefold(), text


# each label is translated when asked for, not all six for each result
BADGE_LABELS = {
    "compliant": lambda: tk._("Compliant with the charter"),
    "compliant_with_reservations": lambda: tk._("Compliant with reservations"),
    "non_compliant": lambda: tk._("Not compliant with the charter"),
    "outdated": lambda: tk._("Opinion to be renewed"),
    "under_review": lambda: tk._("Under review by the committee"),
    "not_reviewed": lambda: tk._("Not reviewed by the committee"),
}

BADGE_CODES = (
    "compliant",
    "compliant_with_reservations",
    "non_compliant",
    "outdated",
    "under_review",
    "not_reviewed",
)


def badge_label(code: str) -> str:
    """The badge's name, as the catalogue shows it."""
    label = BADGE_LABELS.get(code)
    return label() if label else code


def badge_explanation(
    code: str,
    stale_because: str | None = None,
    reexamination: bool = False,
    number: str | None = None,
    date: str | None = None,
    charter_version: str | None = None,
) -> str:
    """One line saying why the dataset has its badge (``date`` already formatted)."""
    template = badge_explanation_template(code, stale_because, bool(number))
    text = template.format(number=number or "", date=date or "", version=charter_version or "")
    if reexamination:
        text = f"{text} {reexamination_note()}"
    return text


def reexamination_note() -> str:
    return tk._("A re-examination is in progress.")


def badge_explanation_template(code: str, stale_because: str | None, has_opinion: bool) -> str:
    """The translated sentence of :func:`badge_explanation`, its ``{number}``,
    ``{date}`` and ``{version}`` left to fill in (search results translate it
    once per kind of badge, not once per result)."""
    if code == "compliant":
        text = tk._(
            "The committee found the dataset compliant with the charter "
            "(opinion {number} of {date})."
        )
    elif code == "compliant_with_reservations":
        text = tk._(
            "The committee found the dataset compliant with the charter, with reservations "
            "(opinion {number} of {date})."
        )
    elif code == "non_compliant":
        text = tk._(
            "The committee found the dataset not compliant with the charter "
            "(opinion {number} of {date})."
        )
    elif code == "under_review" and has_opinion:
        text = tk._(
            "The committee is examining the dataset again: its opinion {number} is no longer valid."
        )
    elif code == "under_review":
        text = tk._("The committee is examining the dataset.")
    elif code == "outdated" and stale_because == "charter":
        text = tk._(
            "The committee's opinion {number} was given under version {version} of the charter, "
            "since superseded."
        )
    elif code == "outdated" and stale_because == "fields":
        text = tk._(
            "Ethics-relevant information of the dataset changed after "
            "the committee's opinion {number}."
        )
    elif code == "outdated":
        text = tk._("The committee's opinion {number} of {date} is past its period of validity.")
    else:
        text = tk._("The committee has not examined the dataset.")
    return text


def http_status_label(code: int, name: str | None = None) -> str:
    """The name of an HTTP status as an error page's heading says it
    (werkzeug's ``name`` is English)."""
    labels = {
        400: tk._("Bad request"),
        401: tk._("Login required"),
        403: tk._("Access denied"),
        404: tk._("Page not found"),
        405: tk._("Method not allowed"),
        409: tk._("Conflict"),
        413: tk._("Request too large"),
        429: tk._("Too many requests"),
        500: tk._("Internal server error"),
        503: tk._("Service unavailable"),
    }
    return labels.get(code, name or tk._("Error"))


def http_status_text(code: int) -> str:
    """What an error page says when the code gave no reason of its own."""
    texts = {
        400: tk._("The request could not be understood. Check the address or the form."),
        401: tk._("Log in to see this page."),
        403: tk._("You are not allowed to see this page."),
        404: tk._("There is no page at this address. Check the address, or search the catalogue."),
        405: tk._("This page cannot be reached this way."),
        500: tk._("The portal met an error. Try again in a moment."),
        503: tk._("The portal is unavailable for a moment. Try again later."),
    }
    return texts.get(code, tk._("The portal could not answer this request."))


# a French « de » or « que » before a word starting with a vowel sound is elided
ELIDING_WORDS = ("de", "De", "que", "Que")
VOWEL_SOUNDS = "aeiouyhàâäéèêëîïôöùûü"


def with_names(message: str, **names: str) -> str:
    """``message.format(**names)``, with the elision French asks before a name
    that starts with a vowel or an h: « le mandat de {name} » gives « le
    mandat d’Aminata Diallo », « le mandat de Claire Aubertin ». Only the
    words written just before a placeholder change; other languages have none
    of them."""
    for key, name in names.items():
        if name and str(name)[0].lower() in VOWEL_SOUNDS:
            for word in ELIDING_WORDS:
                message = message.replace(f"{word} {{{key}}}", f"{word[:-1]}’{{{key}}}")
    return message.format(**names)


def rapporteur_assigned(rapporteur: str, dataset: str, form_of_address: str | None) -> str:
    """« Claire Aubertin est désormais rapporteure de … »: the message agrees
    with the rapporteur's form of address; without one, it says who has the
    report without a gendered noun."""
    if form_of_address == "madame":
        message = pgettext("woman", "{rapporteur} is now the rapporteur of “{dataset}”.")
    elif form_of_address == "monsieur":
        message = pgettext("man", "{rapporteur} is now the rapporteur of “{dataset}”.")
    else:
        message = tk._("{rapporteur} is now the rapporteur of “{dataset}”.")
    return with_names(message, rapporteur=rapporteur, dataset=dataset)
