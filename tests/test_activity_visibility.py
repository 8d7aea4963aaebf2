"""The review workflow's activities obey the dataset's visibility in every
activity stream: user, dashboard, organization, dataset and recently changed,
through the API and the pages.

The steward submits two datasets for review: a private one (then withdrawn)
and a public one. Anonymous visitors, a plain registered user and the steward
of another organization never see the private dataset's name or title; the
steward (a member of its organization) and a sysadmin do. The public
dataset's activities stay visible to everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.cdm import activities
from tests.conftest import Personas, submit_dataset
from tests.helpers import auth_headers

PRIVATE_TITLE = "Signalements nominatifs confidentiels"
PRIVATE_NAME = "signalements-nominatifs-confidentiels"
PUBLIC_TITLE = "Comptages publics des vélos"
PUBLIC_NAME = "comptages-publics-velos"

OUTSIDERS = ("anonymous", "registered", "other_steward")
INSIDERS = ("steward", "sysadmin")
FOLLOWERS = ("registered", "other_steward", "sysadmin")
OUTSIDERS_WHO_FOLLOW = ("registered", "other_steward")


@dataclass
class Story:
    personas: Personas
    private: dict
    public: dict


def submit_private(personas: Personas, charter: dict) -> tuple[dict, dict]:
    """The private dataset of the story, submitted by the steward."""
    return submit_dataset(
        personas.steward,
        personas.organization,
        charter,
        private=True,
        name=PRIVATE_NAME,
        title=PRIVATE_TITLE,
    )


@pytest.fixture(scope="module")
def story(module_base) -> Story:
    """Both datasets submitted, the private review withdrawn; every logged-in
    persona but the steward follows the steward (so the dashboards carry the
    steward's activities). Built once for the module (tests/isolation.py)."""
    personas, charter = module_base
    private, review = submit_private(personas, charter)
    helpers.call_action("cdm_review_withdraw", context={"user": personas.steward}, id=review["id"])
    public, _ = submit_dataset(
        personas.steward, personas.organization, charter, name=PUBLIC_NAME, title=PUBLIC_TITLE
    )
    for follower in FOLLOWERS:
        helpers.call_action(
            "follow_user", context={"user": personas.name(follower)}, id=personas.steward
        )
    return Story(personas, private, public)


def stream(action: str, persona: str, story: Story, **data) -> list[dict]:
    context = {"user": story.personas.name(persona), "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


def review_activities(activity_list: list[dict], dataset: dict) -> set[str]:
    """The types of the review workflow's activities about ``dataset``."""
    return {
        a["activity_type"]
        for a in activity_list
        if a["object_id"] == dataset["id"] and a["activity_type"] in activities.ACTIVITY_TYPES
    }


def shows_private(activity_list: list[dict]) -> bool:
    text = repr(activity_list)
    return PRIVATE_NAME in text or PRIVATE_TITLE in text


BOTH = {activities.SUBMITTED, activities.WITHDRAWN}


def test_review_activity_types_are_package_activities():
    # ckanext-activity filters by permission labels only the types ending in
    # "package"; any other type is shown to everyone.
    assert all(t.endswith(" package") for t in activities.ACTIVITY_TYPES)


# user_activity_list and dashboard_activity_list


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_user_stream_hides_the_private_dataset_from_outsiders(story, persona):
    found = stream("user_activity_list", persona, story, id=story.personas.steward)
    assert not shows_private(found)
    assert review_activities(found, story.public) == {activities.SUBMITTED}


@pytest.mark.parametrize("persona", INSIDERS)
def test_user_stream_shows_the_private_dataset_to_insiders(story, persona):
    found = stream("user_activity_list", persona, story, id=story.personas.steward)
    assert review_activities(found, story.private) == BOTH
    assert review_activities(found, story.public) == {activities.SUBMITTED}


@pytest.mark.parametrize("persona", OUTSIDERS_WHO_FOLLOW)
def test_dashboard_of_a_follower_hides_the_private_dataset(story, persona):
    found = stream("dashboard_activity_list", persona, story)
    assert not shows_private(found)
    assert review_activities(found, story.public) == {activities.SUBMITTED}


@pytest.mark.parametrize("persona", INSIDERS)
def test_dashboard_shows_the_private_dataset_to_insiders(story, persona):
    found = stream("dashboard_activity_list", persona, story)
    assert review_activities(found, story.private) == BOTH


# organization_activity_list, package_activity_list, recently changed


@pytest.mark.parametrize("persona", OUTSIDERS + INSIDERS)
def test_organization_stream_shows_only_the_public_dataset(story, persona):
    # CKAN's organization stream leaves out every private dataset, for all.
    found = stream(
        "organization_activity_list", persona, story, id=story.personas.organization["id"]
    )
    assert not shows_private(found)
    assert review_activities(found, story.public) == {activities.SUBMITTED}


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_dataset_stream_of_the_private_dataset_is_closed_to_outsiders(story, persona):
    with pytest.raises(tk.NotAuthorized):
        stream("package_activity_list", persona, story, id=story.private["id"])
    found = stream("package_activity_list", persona, story, id=story.public["id"])
    assert review_activities(found, story.public) == {activities.SUBMITTED}


@pytest.mark.parametrize("persona", INSIDERS)
def test_dataset_stream_of_the_private_dataset_is_open_to_insiders(story, persona):
    found = stream("package_activity_list", persona, story, id=story.private["id"])
    assert review_activities(found, story.private) == BOTH


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_recently_changed_hides_the_private_dataset_from_outsiders(story, persona):
    found = stream("recently_changed_packages_activity_list", persona, story)
    assert not shows_private(found)
    assert review_activities(found, story.public) == {activities.SUBMITTED}


@pytest.mark.parametrize("persona", INSIDERS)
def test_recently_changed_shows_the_private_dataset_to_insiders(story, persona):
    found = stream("recently_changed_packages_activity_list", persona, story)
    assert review_activities(found, story.private) == BOTH


def test_activity_show_of_a_private_review_activity_is_closed_to_outsiders(story):
    own = stream("package_activity_list", "steward", story, id=story.private["id"])
    activity_id = next(a["id"] for a in own if a["activity_type"] == activities.SUBMITTED)
    for persona in OUTSIDERS:
        with pytest.raises(tk.NotAuthorized):
            stream("activity_show", persona, story, id=activity_id, include_data=True)
    shown = stream("activity_show", "steward", story, id=activity_id, include_data=True)
    assert shown["data"]["package"]["title"] == PRIVATE_TITLE


# The pages


def page(app, url: str, story: Story, persona: str) -> str:
    return app.get(url, headers=auth_headers(story.personas.name(persona))).body


SUBMITTED_WORDS = "for an ethics review"
WITHDRAWN_WORDS = "withdrew the ethics review"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_user_activity_page_hides_the_private_dataset_from_outsiders(app, story, persona):
    body = page(app, f"/user/activity/{story.personas.steward}", story, persona)
    assert PUBLIC_TITLE in body
    assert SUBMITTED_WORDS in body
    assert PRIVATE_TITLE not in body
    assert PRIVATE_NAME not in body
    assert WITHDRAWN_WORDS not in body


@pytest.mark.parametrize("persona", INSIDERS)
def test_user_activity_page_shows_the_private_dataset_to_insiders(app, story, persona):
    body = page(app, f"/user/activity/{story.personas.steward}", story, persona)
    assert PRIVATE_TITLE in body
    assert WITHDRAWN_WORDS in body
    assert PUBLIC_TITLE in body


@pytest.mark.parametrize("persona", OUTSIDERS_WHO_FOLLOW)
def test_dashboard_page_hides_the_private_dataset_from_followers(app, story, persona):
    body = page(app, "/dashboard/", story, persona)
    assert PUBLIC_TITLE in body
    assert PRIVATE_TITLE not in body
    assert PRIVATE_NAME not in body


@pytest.mark.parametrize("persona", INSIDERS)
def test_dashboard_page_shows_the_private_dataset_to_insiders(app, story, persona):
    body = page(app, "/dashboard/", story, persona)
    assert PRIVATE_TITLE in body
    assert WITHDRAWN_WORDS in body


@pytest.mark.parametrize("persona", OUTSIDERS + INSIDERS)
def test_organization_activity_page_shows_only_the_public_dataset(app, story, persona):
    org = story.personas.organization["name"]
    body = page(app, f"/organization/activity/{org}", story, persona)
    assert PUBLIC_TITLE in body
    assert PRIVATE_TITLE not in body
    assert PRIVATE_NAME not in body


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_dataset_activity_page_of_the_private_dataset_is_forbidden(app, story, persona):
    response = app.get(
        f"/dataset/activity/{PRIVATE_NAME}",
        headers=auth_headers(story.personas.name(persona)),
    )
    assert response.status_code == 403
    assert PRIVATE_TITLE not in response.body
