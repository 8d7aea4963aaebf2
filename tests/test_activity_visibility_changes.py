"""Activities whose dataset changes visibility after them: made private, they
leave the streams of outsiders; made public, they enter them. Apart from
tests/test_activity_visibility.py, whose module-wide story holds the same
dataset names."""

from __future__ import annotations

from ckan.tests import helpers

from ckanext.cdm import activities
from tests.conftest import submit_dataset
from tests.test_activity_visibility import (
    INSIDERS,
    OUTSIDERS,
    PRIVATE_NAME,
    PRIVATE_TITLE,
    Story,
    review_activities,
    shows_private,
    stream,
    submit_private,
)


def test_a_dataset_made_private_takes_its_past_activities_with_it(personas, charter, clean_index):
    pkg, _ = submit_dataset(
        personas.steward, personas.organization, charter, name=PRIVATE_NAME, title=PRIVATE_TITLE
    )
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=pkg["id"], private=True
    )
    story = Story(personas, pkg, {})
    for persona in OUTSIDERS:
        assert not shows_private(stream("user_activity_list", persona, story, id=personas.steward))
    for persona in INSIDERS:
        found = stream("user_activity_list", persona, story, id=personas.steward)
        assert review_activities(found, pkg) == {activities.SUBMITTED}


def test_datasets_made_public_show_their_past_activities(personas, charter, clean_index):
    pkg, _ = submit_private(personas, charter)
    helpers.call_action(
        "bulk_update_public",
        context={"user": personas.sysadmin},
        datasets=[pkg["id"]],
        org_id=personas.organization["id"],
    )
    story = Story(personas, pkg, {})
    found = stream("user_activity_list", "anonymous", story, id=personas.steward)
    assert review_activities(found, pkg) == {activities.SUBMITTED}
