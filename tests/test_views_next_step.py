"""After submitting, the steward is told what happens next (issue 18, point
10): the session whose agenda holds the review, or else the committee's
median delay from submission to opinion over the last twelve months (the
annual report's figure), or a sentence when there is no such figure. Every
date is relative to today."""

from __future__ import annotations

import datetime as dt

import flask_babel
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.model.base import today, utcnow
from tests.conftest import complete_answers, submit_dataset
from tests.helpers import auth_headers, page
from tests.logic.opinions import published
from tests.test_views_review import form_answers


def _flash(soup) -> str:
    return " ".join(soup.find(class_="flash-messages").get_text(" ").split())


def _submit_through_the_form(app, personas, charter, lang: str = "") -> str:
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    soup = page(
        app.post(
            f"{lang}/dataset/{pkg['name']}/ethics/self-assessment",
            data={**form_answers(charter), "submit": "1"},
            headers=auth_headers(personas.steward),
        )
    )
    return _flash(soup)


def test_the_steward_is_told_the_session_that_will_examine_the_request(
    app, personas, charter, clean_index
):
    pkg, review = submit_dataset(personas.steward, personas.organization, charter)
    president = {"user": personas.president}
    session = helpers.call_action(
        "cdm_session_create",
        context=president,
        starts_at=f"{today() + dt.timedelta(days=40)}T18:00",
        place="Salle du conseil",
        agenda=[review["id"]],
    )
    helpers.call_action(
        "cdm_review_request_changes", context=president, id=review["id"], message="Précisez."
    )
    helpers.call_action(
        "cdm_self_assessment_save",
        context={"user": personas.steward},
        id=pkg["id"],
        answers=complete_answers(charter),
    )
    soup = page(
        app.post(
            f"/fr/dataset/{pkg['name']}/ethics/submit",
            data={},
            headers=auth_headers(personas.steward),
        )
    )
    with app.flask_app.test_request_context(), flask_babel.force_locale("fr"):
        day = tk.h.cdm_datetime(session["starts_at"])
    assert "Jeu de données soumis au Comité." in _flash(soup)
    assert f"Votre demande est à l’ordre du jour de la séance du {day}." in _flash(soup)


def test_a_session_already_held_is_not_what_comes_next(app, personas, charter, clean_index):
    pkg, review = submit_dataset(personas.steward, personas.organization, charter)
    president = {"user": personas.president}
    helpers.call_action(
        "cdm_session_create",
        context=president,
        starts_at=f"{today() - dt.timedelta(days=2)}T18:00",
        place="Salle du conseil",
        agenda=[review["id"]],
    )
    helpers.call_action(
        "cdm_review_request_changes", context=president, id=review["id"], message="Précisez."
    )
    resubmitted = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=pkg["id"]
    )
    assert resubmitted["next_step"]["session"] is None


def test_otherwise_the_steward_is_told_the_median_delay_of_the_last_twelve_months(
    app, personas, charter, clean_index
):
    # an opinion published today, 30 days after its review was submitted
    _, review, _ = published(personas, charter)
    submitted = utcnow() - dt.timedelta(days=30, hours=2)
    model.Session.execute(
        sa.text("UPDATE cdm_review SET submitted_at = :at WHERE id = :id"),
        {"at": submitted, "id": review["id"]},
    )
    text = _submit_through_the_form(app, personas, charter, lang="/fr")
    assert "Jeu de données soumis au Comité." in text
    assert (
        "Sur les douze derniers mois, le comité a rendu la moitié de ses avis "
        "dans les 30 jours suivant la demande (délai médian)." in text
    )


def test_a_median_under_a_day_is_said_in_words(app, personas, charter, clean_index):
    published(personas, charter)  # submitted and published the same day
    text = _submit_through_the_form(app, personas, charter, lang="/fr")
    assert "le comité a rendu la moitié de ses avis le jour même de la demande." in text
    assert "0 jour" not in text


def test_without_an_opinion_in_twelve_months_the_steward_is_told_so(
    app, personas, charter, clean_index
):
    text = _submit_through_the_form(app, personas, charter)
    assert "Dataset submitted to the committee." in text
    assert "The committee has given no opinion in the last twelve months" in text


def test_the_submit_action_says_what_comes_next(personas, charter, clean_index):
    _, review = submit_dataset(personas.steward, personas.organization, charter)
    assert review["next_step"] == {"session": None, "median_days": None}
