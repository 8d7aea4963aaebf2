"""What the committee costs a dataset's page (issue 19, docs/performance.md):
a fixed number of SQL statements, whatever the dataset's history (opinions,
reviews). ``make bench`` compares it with CKAN's page without the plugin."""

from __future__ import annotations

from ckan.tests import factories

from tests.helpers import auth_headers, page, sql_statements, visible_text
from tests.logic.opinions import call, draft, held_session, in_review, publish

HISTORY = 20


def _reexamined(personas, charter, times: int) -> dict:
    """A dataset with ``times`` published opinions: each a review of its own
    (submitted again, assigned, voted in a session), the last one in force."""
    pkg, review = in_review(personas, charter)
    for n in range(times):
        if n:
            review = call("cdm_review_submit", personas.steward, id=pkg["id"])
            review = call(
                "cdm_review_assign", personas.president, id=review["id"], rapporteur=personas.member
            )
        session = held_session([review["id"]], [personas.president, personas.member])
        publish(personas, draft(personas, charter, review), session)
    return pkg


def _statements(app, name: str, headers: dict | None = None) -> tuple[int, str]:
    url = f"/dataset/{name}"
    app.get(url, headers=headers)  # the caches a first request fills are not counted
    with sql_statements() as statements:
        response = app.get(url, headers=headers)
    assert response.status_code == 200
    return len(statements), visible_text(page(response))


def test_a_dataset_page_costs_the_same_with_1_and_20_opinions(app, personas, charter):
    one = _reexamined(personas, charter, 1)
    many = _reexamined(personas, charter, HISTORY)
    for headers in (None, auth_headers(personas.steward)):
        cost_one, text_one = _statements(app, one["name"], headers)
        cost_many, text_many = _statements(app, many["name"], headers)
        assert cost_one == cost_many, headers
        # the page still says what the committee decided, and where the review stands
        for text in (text_one, text_many):
            assert "Compliant with the charter" in text
            assert "State of the review: closed by an opinion" in text
    assert "Read opinion" in text_many


def test_a_dataset_never_reviewed_costs_what_a_reviewed_one_costs(app, personas, charter):
    """The review's state is one query; the badge comes with the dataset
    from the search index."""
    reviewed = _reexamined(personas, charter, 2)
    plain = factories.Dataset(owner_org=personas.organization["id"])
    cost_reviewed, _ = _statements(app, reviewed["name"])
    cost_plain, text = _statements(app, plain["name"])
    assert cost_reviewed == cost_plain
    assert "Not submitted to the" in text
