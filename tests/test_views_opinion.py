"""The opinion pages: the form rendered from the opinion schema, the draft,
publication with the vote, the permanent public page, corrections, the
dataset's ethics tab and the president's self-referral, for each role.

Each test asserts what a person sees: texts, links, controls."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from ckan.tests import factories, helpers

from tests.conftest import seat
from tests.helpers import auth_headers, page, visible_text

SHIPPED_SCHEMA = Path(__file__).parents[1] / "ckanext" / "cdm" / "schemas" / "opinion.yaml"
# a portal's copy of the schema, written by the fixture `extra_schema` (one per worktree)
EXTRA_SCHEMA = Path(tempfile.gettempdir()) / (
    "cdm-opinion-schema-" + hashlib.sha1(str(SHIPPED_SCHEMA).encode()).hexdigest()[:10] + ".yaml"
)
SESSION_DAY = "2026-11-20T18:00"
NOTES = "Le rapporteur doute de la base légale."


def _as(user: str) -> dict:
    return {"user": user}


def assessments(charter: dict, status: str = "compliant") -> dict:
    return {
        p["code"]: {"status": status, "comment": f"Avis sur {p['code']}."}
        for p in charter["principles"]
    }


def assessment_form(charter: dict, status: str = "compliant") -> dict:
    """The assessments part of the opinion form, every principle assessed."""
    data = {}
    for index, principle in enumerate(charter["principles"]):
        data[f"assessments__{index}__code"] = principle["code"]
        data[f"assessments__{index}__status"] = status
        data[f"assessments__{index}__comment"] = f"Commentaire {principle['code']}"
    return data


@pytest.fixture
def in_review(personas, submitted) -> dict:
    """The dataset's review in examination, the member as rapporteur."""
    return helpers.call_action(
        "cdm_review_assign",
        context=_as(personas.president),
        id=submitted["id"],
        rapporteur=personas.member,
    )


@pytest.fixture
def draft(personas, charter, in_review) -> dict:
    return helpers.call_action(
        "cdm_opinion_create",
        context=_as(personas.member),
        review=in_review["id"],
        verdict="favorable_with_reservations",
        summary="Le jeu de données respecte la Charte pour l’essentiel.",
        assessments=assessments(charter),
        recommendations="Publier la durée de conservation.",
        reservations="Agréger les comptages par heure.",
        deliberation_notes=NOTES,
    )


@pytest.fixture
def held_session(personas, in_review) -> dict:
    """A session held before today, the review on its agenda, quorum reached
    (the president and the member present; 3 members in office)."""
    session = helpers.call_action(
        "cdm_session_create",
        context=_as(personas.president),
        starts_at=SESSION_DAY,
        place="Salle des séances, Hôtel de Métropole",
        agenda=[in_review["id"]],
    )
    return helpers.call_action(
        "cdm_session_update",
        context=_as(personas.president),
        id=session["id"],
        attendance=[personas.president, personas.member],
    )


VOTE = {
    "votes_for": 2,
    "votes_against": 0,
    "votes_abstain": 0,
    "votes_not_voting": 0,
    "votes_proxies": 0,
}


@pytest.fixture
def published(personas, draft, held_session) -> dict:
    return helpers.call_action(
        "cdm_opinion_publish",
        context=_as(personas.president),
        id=draft["id"],
        session=held_session["id"],
        **VOTE,
    )


# The form, from the opinion schema


def test_rapporteur_sees_the_form_of_the_schema(app, personas, charter, in_review, dataset):
    response = app.get(
        f"/dataset/{dataset['name']}/ethics/opinion/new", headers=auth_headers(personas.member)
    )
    soup = page(response)
    form = soup.find("form", id="cdm-form")
    assert form.find("input", attrs={"name": "_csrf_token"})
    # the verdict: a radio group named by its legend
    legend = soup.find("fieldset", id="field-verdict").find("legend")
    assert "Verdict" in legend.get_text()
    labels = [label.get_text(strip=True) for label in soup.select("#field-verdict label")]
    assert labels == ["Favourable", "Favourable with reservations", "Unfavourable"]
    for name in ("summary", "recommendations", "reservations", "deliberation_notes"):
        assert form.find("textarea", attrs={"name": name}), name
        assert soup.find("label", attrs={"for": f"field-{name}"}), name
    # one fieldset per principle of the charter version: its number and title,
    # not its code (`purpose`), which means nothing to a reader
    for index, principle in enumerate(charter["principles"], start=1):
        fieldset = soup.find("fieldset", id=f"assessment-{principle['code']}")
        legend = fieldset.find("legend").get_text(" ", strip=True)
        assert legend.startswith(f"{index}. {principle['title']['en']}")
        assert legend == f"{index}. {principle['title']['en']}"
        statuses = [i["value"] for i in fieldset.find_all("input", attrs={"type": "radio"})]
        assert statuses == ["compliant", "partially_compliant", "non_compliant", "not_applicable"]
        assert fieldset.find("textarea")


def test_rapporteur_drafts_the_opinion_through_the_form(app, personas, charter, in_review, dataset):
    response = app.post(
        f"/dataset/{dataset['name']}/ethics/opinion/new",
        data={
            "verdict": "favorable",
            "summary": "Conforme à la Charte.",
            "deliberation_notes": NOTES,
            **assessment_form(charter),
            "save": "1",
        },
        headers=auth_headers(personas.member),
    )
    drafts = helpers.call_action(
        "cdm_opinion_list", context=_as(personas.member), dataset=dataset["id"], state="draft"
    )["results"]
    assert len(drafts) == 1
    draft = drafts[0]
    first = charter["principles"][0]["code"]
    assert draft["assessments"][first] == {"status": "compliant", "comment": f"Commentaire {first}"}
    # the draft's page: the fields as they will read, and what comes next
    text = visible_text(page(response))
    assert "Draft opinion saved." in text
    assert "Conforme à la Charte." in text
    assert "Confidential" in text
    assert NOTES in text
    soup = page(response)
    assert soup.find("a", href=f"/cdm/opinions/draft/{draft['id']}/edit")


def test_a_draft_may_leave_principles_unassessed(app, personas, charter, in_review, dataset):
    app.post(
        f"/dataset/{dataset['name']}/ethics/opinion/new",
        data={"verdict": "favorable", "summary": "Premier jet."},
        headers=auth_headers(personas.member),
    )
    draft = helpers.call_action(
        "cdm_opinion_list", context=_as(personas.member), dataset=dataset["id"], state="draft"
    )["results"][0]
    response = app.get(f"/cdm/opinions/draft/{draft['id']}", headers=auth_headers(personas.member))
    assert "not assessed yet" in visible_text(page(response))


def test_markdown_fields_speak_french(app, personas, in_review, dataset):
    """No English left by CKAN's markdown macro on the French form."""
    response = app.get(
        f"/fr/dataset/{dataset['name']}/ethics/opinion/new",
        headers=auth_headers(personas.member),
    )
    text = visible_text(page(response))
    assert "You can use" not in text
    assert "Mise en forme simple : **gras**" in text


def test_refused_form_shows_the_errors_and_keeps_the_values(
    app, personas, charter, in_review, dataset
):
    response = app.post(
        f"/dataset/{dataset['name']}/ethics/opinion/new",
        data={
            "verdict": "favorable_with_reservations",
            "summary": "Résumé gardé.",
            "reservations": "",
            **assessment_form(charter, "non_compliant"),
        },
        headers=auth_headers(personas.member),
    )
    soup = page(response)
    summary = soup.find(id="error-summary")
    assert summary is not None
    link = summary.find("a", href="#field-reservations")
    assert "Reservations" in link.get_text()
    assert soup.find("textarea", attrs={"name": "summary"}).get_text() == "Résumé gardé."
    # the message is next to the field and tied to it
    reservations = soup.find("textarea", attrs={"name": "reservations"})
    assert reservations["aria-invalid"] == "true"
    described = reservations["aria-describedby"].split()
    assert "field-reservations-error" in described
    assert "are required when the opinion" in soup.find(id="field-reservations-error").get_text()
    assert "Required when the opinion is favourable" in soup.find(id=described[-1]).get_text()
    checked = soup.find("input", attrs={"name": "verdict", "checked": True})
    assert checked["value"] == "favorable_with_reservations"
    code = charter["principles"][0]["code"]
    status = soup.find("input", id=f"assessment-{code}-non_compliant")
    assert status.has_attr("checked")
    assert (
        helpers.call_action(
            "cdm_opinion_list", context=_as(personas.member), dataset=dataset["id"], state="draft"
        )["count"]
        == 0
    )


@pytest.mark.parametrize("persona", ["anonymous", "steward", "registered"])
def test_only_the_committee_may_draft(app, personas, in_review, dataset, persona):
    response = app.get(
        f"/dataset/{dataset['name']}/ethics/opinion/new",
        headers=auth_headers(personas.name(persona)),
        status=403,
    )
    assert "Verdict" not in response.body


@pytest.mark.parametrize("persona", ["anonymous", "steward", "registered"])
def test_a_draft_is_not_found_outside_the_committee(app, personas, draft, persona):
    app.get(
        f"/cdm/opinions/draft/{draft['id']}",
        headers=auth_headers(personas.name(persona)),
        status=404,
    )


def test_rapporteur_edits_the_draft(app, personas, draft):
    headers = auth_headers(personas.member)
    form = page(app.get(f"/cdm/opinions/draft/{draft['id']}/edit", headers=headers))
    assert form.find("textarea", attrs={"name": "summary"}).get_text().startswith("Le jeu")
    assert form.find("textarea", attrs={"name": "deliberation_notes"}).get_text() == NOTES
    data = {"verdict": "favorable", "summary": "Synthèse revue.", "save": "1"}
    app.post(f"/cdm/opinions/draft/{draft['id']}/edit", data=data, headers=headers)
    shown = helpers.call_action("cdm_opinion_show", context=_as(personas.member), id=draft["id"])
    assert shown["summary"] == "Synthèse revue."
    assert shown["verdict"] == "favorable"


# A field added to a portal's copy of the schema


@pytest.fixture
def extra_schema() -> Path:
    """A portal's copy of the opinion schema with one more field."""
    schema = yaml.safe_load(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    schema["opinion_fields"].insert(
        2,
        {
            "field_name": "public_interest",
            "label": {"fr": "Intérêt public", "en": "Public interest"},
            "form_snippet": "textarea.html",
            "validators": "ignore_missing unicode_safe",
        },
    )
    schema["opinion_fields"].append(
        {
            "field_name": "internal_memo",
            "label": {"fr": "Mémo interne", "en": "Internal memo"},
            "form_snippet": "textarea.html",
            "validators": "ignore_missing cdm_long_text",
            "cdm_confidential": True,
        }
    )
    EXTRA_SCHEMA.write_text(yaml.safe_dump(schema, allow_unicode=True), encoding="utf-8")
    return EXTRA_SCHEMA


@pytest.mark.ckan_config("ckanext.cdm.opinion_schema", str(EXTRA_SCHEMA))
def test_a_field_added_to_the_schema_is_in_the_form_and_on_the_page(
    app, extra_schema, personas, charter, in_review, dataset, held_session
):
    url = f"/dataset/{dataset['name']}/ethics/opinion/new"
    headers = auth_headers(personas.member)
    soup = page(app.get(url, headers=headers))
    assert soup.find("label", attrs={"for": "field-public_interest"}).get_text(strip=True) == (
        "Public interest"
    )
    app.post(
        url,
        data={
            "verdict": "favorable",
            "summary": "Synthèse.",
            "public_interest": "Utile aux usagers du tramway.",
            "internal_memo": "Mémo du collège recherche.",
            **assessment_form(charter),
        },
        headers=headers,
    )
    draft = helpers.call_action(
        "cdm_opinion_list", context=_as(personas.member), dataset=dataset["id"], state="draft"
    )["results"][0]
    opinion = helpers.call_action(
        "cdm_opinion_publish",
        context=_as(personas.president),
        id=draft["id"],
        session=held_session["id"],
        **VOTE,
    )
    text = visible_text(page(app.get(f"/cdm/opinions/{opinion['number']}")))
    assert "Public interest Utile aux usagers du tramway." in text
    assert "Mémo du collège recherche." not in text  # confidential in the copy
    assert "Internal memo" not in text
    member = page(app.get(f"/cdm/opinions/{opinion['number']}", headers=headers))
    box = member.find("section", class_="cdm-confidential").get_text(" ")
    assert "Internal memo" in box
    assert "Mémo du collège recherche." in box


# The permanent public page


def test_public_page_of_a_published_opinion(
    app, personas, charter, dataset, held_session, published
):
    soup = page(app.get(f"/cdm/opinions/{published['number']}"))
    text = visible_text(soup)
    assert f"Opinion {published['number']}" in soup.find("h1").get_text()
    facts = soup.find("dl", class_="cdm-opinion-facts")
    assert facts.find("a", string=dataset["title"])["href"].endswith(f"/dataset/{dataset['id']}")
    # the verdict in words, not colour alone
    assert "Verdict Favourable with reservations" in text
    assert "Le jeu de données respecte la Charte pour l’essentiel." in text
    assert "Agréger les comptages par heure." in text
    assert "Publier la durée de conservation." in text
    # the assessments, a table by principle
    table = soup.find("table", class_="cdm-assessments-table")
    assert table.find("caption")
    first = charter["principles"][0]
    row = table.find("th", string=re.compile(re.escape(first["title"]["en"]))).parent
    assert "Compliant" in row.get_text()
    assert f"Avis sur {first['code']}." in row.get_text()
    # the session, the charter version, the date of publication
    assert "November 20, 2026 at 18:00 — Salle des séances, Hôtel de Métropole" in text
    assert facts.find("a", href=re.compile(f"/cdm/sessions/{held_session['id']}$"))
    assert soup.find("a", href=re.compile(r"/cdm/charter/1\.0$"))
    assert "Published on" in text


def test_vote_says_in_a_sentence_what_was_voted(app, published):
    """« Avis adopté par … », in normal case, not « POUR : 2 » read as a vote
    on the dataset; the counts stay below as a captioned table."""
    soup = page(app.get(f"/fr/cdm/opinions/{published['number']}"))
    sentence = soup.find("p", class_="cdm-vote-sentence").get_text()
    assert sentence == (
        "Avis adopté par 2 voix pour, 0 contre et 0 abstention\u00a0; "
        "0 membre ne se prononce pas\u00a0; 2 présents ou représentés sur 3 membres en "
        "fonction, quorum atteint (2 requis)."
    )
    table = soup.find("table", class_="cdm-vote-block")
    assert table.find("caption").get_text(strip=True) == "Les voix du vote"
    assert [th.get("scope") for th in table.find_all("th")] == ["row"] * 4
    text = " ".join(table.get_text(" ").split())
    assert text == "Les voix du vote Pour 2 Contre 0 Abstention 0 Ne se prononce pas 0"
    assert "POUR" not in visible_text(soup)
    english = page(app.get(f"/cdm/opinions/{published['number']}"))
    assert english.find("p", class_="cdm-vote-sentence").get_text() == (
        "Opinion adopted by 2 votes for, 0 against and 0 abstentions; 0 members did not "
        "vote; 2 present or represented out of 3 members in office, quorum reached "
        "(2 needed)."
    )


def test_vote_sentence_counts_proxies_and_recused_members(app, personas, draft, held_session):
    """Real plurals: one proxy, two abstentions, one member recused (a fourth
    member, absent, gives a proxy to the president; a fifth, present, is
    recused)."""
    absent, recused = factories.User()["name"], factories.User()["name"]
    seat(personas.sysadmin, absent, "local_authorities")
    seat(personas.sysadmin, recused, "business")
    helpers.call_action(
        "cdm_session_update",
        context=_as(personas.president),
        id=held_session["id"],
        attendance=[personas.president, personas.member, recused],
        add_proxy={"giver": absent, "holder": personas.president},
    )
    opinion = helpers.call_action(
        "cdm_opinion_publish",
        context=_as(personas.president),
        id=draft["id"],
        session=held_session["id"],
        **{**VOTE, "votes_for": 1, "votes_abstain": 2, "votes_proxies": 1},
        recused=[recused],
    )
    soup = page(app.get(f"/fr/cdm/opinions/{opinion['number']}"))
    assert soup.find("p", class_="cdm-vote-sentence").get_text() == (
        "Avis adopté par 1 voix pour, 0 contre et 2 abstentions (dont 1 procuration)\u00a0; "
        "0 membre ne se prononce pas\u00a0; 4 présents ou représentés sur 5 membres en "
        "fonction, quorum atteint (3 requis)\u00a0; 1 membre déporté."
    )
    english = page(app.get(f"/cdm/opinions/{opinion['number']}"))
    assert english.find("p", class_="cdm-vote-sentence").get_text() == (
        "Opinion adopted by 1 vote for, 0 against and 2 abstentions (of which 1 proxy); "
        "0 members did not vote; 4 present or represented out of 5 members in office, "
        "quorum reached (3 needed); 1 member recused."
    )


def test_refused_vote_counts_the_proxies_in_real_french(app, personas, draft, held_session):
    response = app.post(
        f"/fr/cdm/opinions/draft/{draft['id']}/publish",
        data={**VOTE, "session": held_session["id"], "votes_proxies": 2},
        headers=auth_headers(personas.president),
    )
    summary = visible_text(page(response).find(id="error-summary"))
    assert "La séance compte 0 procuration, et non 2." in summary


def test_public_page_in_french_has_french_dates(app, published):
    text = visible_text(page(app.get(f"/fr/cdm/opinions/{published['number']}")))
    assert "20 novembre 2026 à 18:00" in text
    assert "Favorable avec réserves" in text


@pytest.mark.parametrize("persona", ["anonymous", "steward", "registered"])
def test_confidential_notes_never_reach_the_public_page(app, personas, published, persona):
    body = app.get(
        f"/cdm/opinions/{published['number']}", headers=auth_headers(personas.name(persona))
    ).body
    assert NOTES not in body
    assert "Confidential" not in body
    assert "Deliberation notes" not in body


@pytest.mark.parametrize("persona", ["member", "president", "sysadmin"])
def test_the_committee_reads_the_notes_marked_confidential(app, personas, published, persona):
    soup = page(
        app.get(
            f"/cdm/opinions/{published['number']}", headers=auth_headers(personas.name(persona))
        )
    )
    box = soup.find("section", class_="cdm-confidential")
    assert "Confidential" in box.get_text()
    assert "Committee only" in box.get_text()
    assert NOTES in box.get_text()


def test_print_stylesheet_is_on_the_public_page(app, published):
    soup = page(app.get(f"/cdm/opinions/{published['number']}"))
    links = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    printing = [href for href in links if "cdm_print" in href]
    assert printing, links
    css = app.get(printing[0]).body
    assert "@media print" in css
    for hidden in (".masthead", ".site-footer", "nav", ".btn"):
        assert hidden in css
    assert "display: none" in css
    assert 'content: " (" attr(href)' not in css  # no raw addresses after the links
    assert "thead { display: table-header-group; }" in css  # headers repeated
    assert "orphans: 3; widows: 3;" in css
    assert "size: A4" in css
    # the page numbers, in the page's language, in the bottom margin
    french = app.get(f"/fr/cdm/opinions/{published['number']}").body
    assert 'content: "Page " counter(page) " sur " counter(pages)' in french
    assert (
        'content: "Page " counter(page) " of " counter(pages)'
        in app.get(f"/cdm/opinions/{published['number']}").body
    )


def test_the_printed_opinion_is_signed_by_the_president(app, personas, published):
    """« Pour le Comité, la Présidente, … » from the president seat's form of address."""
    from ckan import model

    from ckanext.cdm.model.member import Member

    fullname = model.User.get(personas.president).fullname or personas.president
    soup = page(app.get(f"/fr/cdm/opinions/{published['number']}"))
    assert soup.find("p", class_="cdm-signature").get_text() == (
        f"Pour le Comité, la présidence, {fullname}"
    )
    assert "En séance du 20 novembre 2026 à 18:00, Salle des séances" in visible_text(soup)
    seat = next(s for s in Member.seats() if s.role == "president")
    seat.form_of_address = "madame"
    model.Session.flush()
    soup = page(app.get(f"/fr/cdm/opinions/{published['number']}"))
    assert soup.find("p", class_="cdm-signature").get_text() == (
        f"Pour le Comité, la Présidente, {fullname}"
    )
    seat.form_of_address = "monsieur"
    model.Session.flush()
    english = page(app.get(f"/cdm/opinions/{published['number']}"))
    assert english.find("p", class_="cdm-signature").get_text() == (
        f"For the Committee, the President, {fullname}"
    )


def test_a_draft_number_is_not_a_page(app, published):
    app.get("/cdm/opinions/2026-999", status=404)
    app.get("/cdm/opinions/%00", status=404)


def test_dataset_removed_from_the_catalogue(app, personas, dataset, published):
    helpers.call_action("dataset_purge", context=_as(personas.sysadmin), id=dataset["id"])
    soup = page(app.get(f"/cdm/opinions/{published['number']}"))
    text = visible_text(soup)
    assert f"{dataset['title']} ({dataset['name']})" in text
    assert "removed from the catalogue" in text
    assert not soup.find("a", href=re.compile(f"/dataset/{dataset['id']}"))


# Publication through the page


def test_president_publishes_with_the_vote_block(app, personas, draft, held_session, dataset):
    headers = auth_headers(personas.president)
    soup = page(app.get(f"/cdm/opinions/draft/{draft['id']}/publish", headers=headers))
    options = soup.find("select", attrs={"name": "session"}).find_all("option")
    assert [o["value"] for o in options] == ["", held_session["id"]]
    assert "Salle des séances" in options[1].get_text()
    recusable = [i["value"] for i in soup.find_all("input", attrs={"name": "recused"})]
    assert personas.member in recusable  # present (the absent are not listed)
    assert soup.find("input", attrs={"name": "_csrf_token"})

    response = app.post(
        f"/cdm/opinions/draft/{draft['id']}/publish",
        data={"session": held_session["id"], **VOTE},
        headers=headers,
    )
    opinion = helpers.call_action("cdm_opinion_show", id=draft["id"])
    assert opinion["state"] == "published"
    text = visible_text(page(response))
    assert f"Opinion {opinion['number']} published." in text
    assert "Opinion adopted by 2 votes for, 0 against" in text


def test_proxies_left_empty_are_the_sessions(app, personas, draft, held_session):
    app.post(
        f"/cdm/opinions/draft/{draft['id']}/publish",
        data={"session": held_session["id"], **VOTE, "votes_proxies": ""},
        headers=auth_headers(personas.president),
    )
    opinion = helpers.call_action("cdm_opinion_show", id=draft["id"])
    assert opinion["state"] == "published"
    assert opinion["votes_proxies"] == 0


def test_refused_vote_names_the_rule_and_keeps_the_counts(app, personas, draft, held_session):
    response = app.post(
        f"/cdm/opinions/draft/{draft['id']}/publish",
        data={**VOTE, "session": held_session["id"], "votes_for": 5, "votes_against": 1},
        headers=auth_headers(personas.president),
    )
    soup = page(response)
    assert soup.find(id="error-summary")
    assert soup.find("input", attrs={"name": "votes_for"})["value"] == "5"
    assert soup.find("input", attrs={"name": "votes_against"})["value"] == "1"
    selected = soup.find("select", attrs={"name": "session"}).find("option", selected=True)
    assert selected["value"] == held_session["id"]
    assert helpers.call_action("cdm_opinion_show", id=draft["id"])["state"] == "draft"


def test_the_rapporteur_cannot_publish(app, personas, draft):
    soup = page(
        app.get(f"/cdm/opinions/draft/{draft['id']}", headers=auth_headers(personas.member))
    )
    assert soup.find("a", href=f"/cdm/opinions/draft/{draft['id']}/edit")
    assert not soup.find("a", href=f"/cdm/opinions/draft/{draft['id']}/publish")
    app.get(
        f"/cdm/opinions/draft/{draft['id']}/publish",
        headers=auth_headers(personas.member),
        status=403,
    )


# Corrections


def test_correction_through_the_pages(app, personas, published, held_session):
    headers = auth_headers(personas.president)
    number = published["number"]
    soup = page(app.get(f"/cdm/opinions/{number}", headers=headers))
    assert soup.find("a", href=f"/cdm/opinions/{number}/correct")
    form = page(app.get(f"/cdm/opinions/{number}/correct", headers=headers))
    assert form.find("textarea", attrs={"name": "reason"})
    # prefilled from the opinion
    assert "Agréger" in form.find("textarea", attrs={"name": "reservations"}).get_text()

    app.post(
        f"/cdm/opinions/{number}/correct",
        data={
            "reason": "Erreur matérielle dans les réserves.",
            "verdict": "favorable_with_reservations",
            "summary": published["summary"],
            "reservations": "Agréger les comptages par demi-heure.",
            **{
                f"assessments__{i}__{key}": value
                for i, (code, item) in enumerate(published["assessments"].items())
                for key, value in (("code", code), *item.items())
            },
        },
        headers=headers,
    )
    old = helpers.call_action("cdm_opinion_show", context=_as(personas.president), id=number)
    correction = old["correction_draft"]
    app.post(
        f"/cdm/opinions/draft/{correction['id']}/publish",
        data={"session": held_session["id"], **VOTE},
        headers=headers,
    )
    new_number = helpers.call_action("cdm_opinion_show", id=correction["id"])["number"]

    old_page = page(app.get(f"/cdm/opinions/{number}"))
    assert f"Opinion corrected by opinion {new_number}" in visible_text(old_page)
    assert old_page.find("a", string=new_number)["href"].endswith(f"/cdm/opinions/{new_number}")
    assert not old_page.find("a", href=f"/cdm/opinions/{number}/correct")
    new_text = visible_text(page(app.get(f"/cdm/opinions/{new_number}")))
    assert f"Corrects opinion {number} — reason: Erreur matérielle dans les réserves." in new_text
    assert "demi-heure" in new_text
    french = visible_text(page(app.get(f"/fr/cdm/opinions/{number}")))
    assert f"Avis rectifié par l’avis {new_number}" in french


@pytest.mark.parametrize("persona", ["anonymous", "steward", "member"])
def test_only_the_president_corrects(app, personas, published, persona):
    number = published["number"]
    soup = page(app.get(f"/cdm/opinions/{number}", headers=auth_headers(personas.name(persona))))
    assert not soup.find("a", href=f"/cdm/opinions/{number}/correct")
    app.get(
        f"/cdm/opinions/{number}/correct",
        headers=auth_headers(personas.name(persona)),
        status=403,
    )


# The dataset's ethics tab


def test_ethics_tab_offers_the_rapporteur_to_draft(app, personas, in_review, dataset):
    url = f"/dataset/{dataset['name']}/ethics"
    member = page(app.get(url, headers=auth_headers(personas.member)))
    assert member.find("a", string="Draft the opinion")["href"].endswith("/ethics/opinion/new")
    steward = page(app.get(url, headers=auth_headers(personas.steward)))
    assert not steward.find("a", string="Draft the opinion")


def test_ethics_tab_lists_the_opinions(app, personas, dataset, published):
    url = f"/dataset/{dataset['name']}/ethics"
    soup = page(app.get(url))
    table = soup.find("table", class_="cdm-opinions")
    assert table.find("caption")
    row = table.find("tbody").find("tr")
    assert row.find("a", string=f"Opinion {published['number']}")
    text = " ".join(row.get_text(" ").split())
    assert "Favourable with reservations" in text
    assert "in force" in text
    assert not soup.find("a", string="Draft the opinion")


def test_ethics_tab_lists_drafts_to_the_committee_only(app, personas, draft, dataset):
    url = f"/dataset/{dataset['name']}/ethics"
    member = page(app.get(url, headers=auth_headers(personas.member)))
    assert member.find("a", href=f"/cdm/opinions/draft/{draft['id']}")
    public = page(app.get(url))
    assert not public.find("a", href=f"/cdm/opinions/draft/{draft['id']}")
    assert not public.find("table", class_="cdm-opinions")


# Self-referral


def test_president_refers_a_dataset_after_confirming(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"], title="Vidéoprotection")
    headers = auth_headers(personas.president)
    tab = page(app.get(f"/dataset/{pkg['name']}/ethics", headers=headers))
    link = tab.find("a", href=f"/dataset/{pkg['name']}/ethics/self-referral")
    assert link is not None
    confirm = page(app.get(link["href"], headers=headers))
    assert "Vidéoprotection" in confirm.find("h1").get_text()
    assert confirm.find("input", attrs={"name": "_csrf_token"})
    response = app.post(
        f"/dataset/{pkg['name']}/ethics/self-referral",
        data={"message": "Le comité examine ce jeu de données."},
        headers=headers,
    )
    assert "on its own initiative" in visible_text(page(response))
    review = helpers.call_action(
        "cdm_review_show", context=_as(personas.president), dataset=pkg["id"]
    )
    assert review["self_referral"] is True
    # the steward reads who opened the review, not "submitted by" the president
    steward_tab = visible_text(
        page(app.get(f"/dataset/{pkg['name']}/ethics", headers=auth_headers(personas.steward)))
    )
    assert "Taken up by the committee on its own initiative (self-referral) on" in steward_tab
    assert "Submitted by" not in steward_tab
    assert "self-referral by the committee" in steward_tab  # the history's step


@pytest.mark.parametrize("persona", ["anonymous", "steward", "member"])
def test_only_the_president_refers(app, personas, charter, clean_index, persona):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    headers = auth_headers(personas.name(persona))
    tab = page(app.get(f"/dataset/{pkg['name']}/ethics", headers=headers))
    assert not tab.find("a", href=f"/dataset/{pkg['name']}/ethics/self-referral")
    app.get(f"/dataset/{pkg['name']}/ethics/self-referral", headers=headers, status=403)
    app.post(f"/dataset/{pkg['name']}/ethics/self-referral", headers=headers, status=403)


@pytest.mark.parametrize(
    ("junk", "field"),
    [
        ({"votes_for": "beaucoup"}, "votes_for"),
        ({"votes_against": "-3"}, "votes_against"),
        ({"recused": "personne-inconnue"}, "recused"),
        ({"session": ""}, "session"),
    ],
)
def test_junk_in_the_vote_is_named_not_a_crash(app, personas, draft, held_session, junk, field):
    response = app.post(
        f"/cdm/opinions/draft/{draft['id']}/publish",
        data={"session": held_session["id"], **VOTE, **junk},
        headers=auth_headers(personas.president),
    )
    soup = page(response)
    assert soup.find(id="error-summary").find("a", href=f"#field-{field}")
    assert soup.find(id=f"field-{field}-error")


def test_forms_refuse_a_cookie_post_without_csrf_token(app, personas, draft, dataset):
    from tests.test_csrf import cookie_client

    client = cookie_client(app, personas.president)
    for url in (
        f"/cdm/opinions/draft/{draft['id']}/publish",
        f"/cdm/opinions/draft/{draft['id']}/edit",
        f"/dataset/{dataset['name']}/ethics/self-referral",
    ):
        response = client.post(url, data={"summary": "Sans jeton"})
        assert response.status_code == 400, url
    shown = helpers.call_action("cdm_opinion_show", context=_as(personas.member), id=draft["id"])
    assert shown["summary"] != "Sans jeton"


def test_the_publish_page_of_a_published_opinion_says_so(app, personas, published):
    """Its real reason, in French, and the way to the opinion (was a 403 « not
    allowed to publish »)."""
    response = app.get(
        f"/fr/cdm/opinions/draft/{published['id']}/publish",
        headers=auth_headers(personas.president),
    )
    assert response.status_code == 200  # followed to the opinion's page
    assert response.request.path == f"/fr/cdm/opinions/{published['number']}"
    assert f"L’avis {published['number']} est déjà publié." in visible_text(page(response))
