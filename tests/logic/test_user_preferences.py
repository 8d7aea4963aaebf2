"""A user's preferences (the language of their e-mails): who may read and
change them, what is accepted, where they are kept."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from tests.conftest import PERSONAS, is_authorized
from tests.helpers import auth_headers, page, visible_text

ONLY_THE_USER_AND_SYSADMIN = {p: p in ("steward", "sysadmin") for p in PERSONAS}
ANY_LOGGED_IN_USER = {p: p != "anonymous" for p in PERSONAS}


@pytest.mark.parametrize("auth", ["cdm_user_preferences_show", "cdm_user_preferences_update"])
def test_only_the_user_and_sysadmins_read_and_change_preferences(personas, auth):
    outcome = {p: is_authorized(auth, personas.name(p), id=personas.steward) for p in PERSONAS}
    assert outcome == ONLY_THE_USER_AND_SYSADMIN
    own = {p: is_authorized(auth, personas.name(p)) for p in PERSONAS}  # no id: one's own
    assert own == ANY_LOGGED_IN_USER


def test_the_default_is_the_sites_language(personas):
    shown = helpers.call_action("cdm_user_preferences_show", context={"user": personas.member})
    assert shown["name"] == personas.member
    assert shown["language"] == "en"  # test.ini's ckan.locale_default
    assert shown["languages"] == ["en", "fr"]


def test_a_user_chooses_french_kept_in_plugin_extras_beside_other_extras(personas):
    user = model.User.by_name(personas.member)
    user.plugin_extras = {"other_plugin": {"x": 1}, "cdm": {"demo_account": True}}
    model.repo.commit()

    updated = helpers.call_action(
        "cdm_user_preferences_update",
        context={"user": personas.member, "ignore_auth": False},
        language="fr",
    )
    assert updated["language"] == "fr"
    model.Session.expire_all()
    assert model.User.by_name(personas.member).plugin_extras == {
        "other_plugin": {"x": 1},
        "cdm": {"demo_account": True, "language": "fr"},
    }
    by_sysadmin = helpers.call_action(
        "cdm_user_preferences_show", context={"user": personas.sysadmin}, id=personas.member
    )
    assert by_sysadmin["language"] == "fr"


@pytest.mark.ckan_config("ckan.locales_offered", "en")
def test_a_language_the_site_no_longer_offers_falls_back_to_the_default(personas):
    user = model.User.by_name(personas.member)
    user.plugin_extras = {"cdm": {"language": "fr"}}
    model.repo.commit()
    shown = helpers.call_action("cdm_user_preferences_show", context={"user": personas.member})
    assert shown["language"] == "en"


@pytest.mark.parametrize("language", ["de", "", ["fr"], {"fr": 1}, "fr\x00", 7])
def test_only_a_language_of_the_site_is_accepted(personas, language):
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "cdm_user_preferences_update", context={"user": personas.member}, language=language
        )
    assert "language" in error.value.error_dict


@pytest.mark.parametrize("junk", [["x"], {"a": 1}, 12, "a\x00b", "\ud800", "x" * 500])
def test_junk_ids_name_no_user(personas, junk):
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action(
            "cdm_user_preferences_show", context={"user": personas.sysadmin}, id=junk
        )
    assert not is_authorized("cdm_user_preferences_update", personas.member, id=junk)


def test_the_user_chooses_the_language_on_their_page(app, personas):
    headers = auth_headers(personas.steward)
    page = app.get(f"/user/{personas.steward}", headers=headers).body
    assert f"/user/{personas.steward}/cdm-preferences" in page  # the tab
    url = f"/user/{personas.steward}/cdm-preferences"
    form = app.get(url, headers=headers).body
    assert "Language of my e-mails" in form
    assert '<option value="fr" lang="fr" >Français</option>' in form
    assert '<option value="en" lang="en" selected>English</option>' in form

    saved = app.post(url, data={"language": "fr"}, headers=headers, follow_redirects=True).body
    assert "Your e-mail preferences have been saved." in saved
    assert '<option value="fr" lang="fr" selected>Français</option>' in saved

    refused = app.post(url, data={"language": "de"}, headers=headers).body
    assert 'aria-invalid="true"' in refused
    assert "Value must be one of" in refused


def test_others_neither_see_the_tab_nor_the_page(app, personas):
    url = f"/user/{personas.steward}/cdm-preferences"
    other = auth_headers(personas.other_steward)
    assert url not in app.get(f"/user/{personas.steward}", headers=other).body
    app.get(url, headers=other, status=403)
    app.get(url, status=403)
    assert "Language of my e-mails" in app.get(url, headers=auth_headers(personas.sysadmin)).body
    app.get("/user/no-such-user/cdm-preferences", headers=other, status=404)
    app.get("/user/a%00b/cdm-preferences", headers=other, status=404)


def _controls(soup, name: str) -> dict[str, bool]:
    """The checkboxes or radio buttons named ``name``: value → checked."""
    return {
        box["value"]: box.has_attr("checked")
        for box in soup.find_all("input", attrs={"name": name})
    }


def test_a_member_chooses_the_kinds_and_the_digest_on_the_french_page(app, personas):
    headers = auth_headers(personas.member)
    url = f"/fr/user/{personas.member}/cdm-preferences"
    soup = page(app.get(url, headers=headers))
    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == ["Préférences de courriel"]
    text = visible_text(soup)
    for label in (
        "Les courriels que je reçois",
        "Convocations aux séances, avec leur ordre du jour",
        "Nouvelles demandes d’avis adressées au comité",
        "Avis publiés",
        "Demandes du comité aux responsables de données (compléments, autosaisines)",
        "Quels que soient vos choix, vous recevez toujours sans délai",
        "Quand je les reçois",
        "Un par un, au fil de l’eau",
        "Tous ensemble, en un courriel par jour (récapitulatif quotidien)",
    ):
        assert label in text
    assert _controls(soup, "notifications") == dict.fromkeys(
        ("agenda", "submissions", "opinions", "changes"), True
    )
    assert _controls(soup, "digest") == {"false": True, "true": False}
    for box in soup.find_all("input", attrs={"name": "notifications"}):  # each has its label
        assert soup.find("label", attrs={"for": box["id"]})

    chosen = {"language": "fr", "notifications": ["agenda", "opinions"], "digest": "true"}
    saved = page(app.post(url, data=chosen, headers=headers, follow_redirects=True))
    assert "Vos préférences de courriel ont été enregistrées." in visible_text(saved)
    assert _controls(saved, "notifications") == {
        "agenda": True,
        "submissions": False,
        "opinions": True,
        "changes": False,
    }
    assert _controls(saved, "digest") == {"false": False, "true": True}

    # no box ticked: no kind at all
    app.post(url, data={"language": "fr", "digest": "false"}, headers=headers)
    shown = helpers.call_action("cdm_user_preferences_show", context={"user": personas.member})
    assert (shown["notifications"], shown["digest"]) == ([], False)


def test_a_steward_is_not_offered_the_digest_and_an_unknown_kind_is_named(app, personas):
    headers = auth_headers(personas.steward)
    url = f"/fr/user/{personas.steward}/cdm-preferences"
    soup = page(app.get(url, headers=headers))
    assert _controls(soup, "digest") == {}
    assert "récapitulatif quotidien" not in visible_text(soup)

    refused = page(
        app.post(
            url, data={"language": "fr", "notifications": ["agenda", "gazette"]}, headers=headers
        )
    )
    summary = refused.find(id="error-summary")
    assert "Les courriels que je reçois" in summary.get_text()
    assert "Type de courriel inconnu" in summary.get_text()
    assert summary.find("a")["href"] == "#field-notifications-agenda"
    assert refused.find(id="field-notifications-agenda")["aria-invalid"] == "true"
    assert _controls(refused, "notifications")["agenda"] is True  # what was ticked stays
