"""The register's filters of ``cdm_opinion_list``: words searched for, a
principle's assessment, with the labels of the datasets (a private dataset's
opinion never listed to those who may not see it)."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from tests.helpers import sql_statements
from tests.logic.opinions import call
from tests.logic.register import register


def numbers(user: str, **filters) -> list[str]:
    return [o["number"] for o in call("cdm_opinion_list", user, **filters)["results"]]


@pytest.fixture(scope="module")
def world(module_base):
    """Built once for the module (tests/isolation.py): the tests only read it."""
    return register(*module_base)


def test_search_by_words_in_title_number_and_summary(personas, world):
    assert numbers("", q="place darcy") == [world.correction["number"], world.darcy["number"]]
    assert numbers("", q=world.cameras["number"]) == [world.cameras["number"]]
    assert numbers("", q="FLOUTÉES") == [world.cameras["number"]]  # case ignored
    assert numbers("", q="  corrigée ") == [world.correction["number"]]
    assert numbers("", q="nothing like it") == []


def test_wildcards_are_taken_literally(personas, world):
    assert numbers("", q="100 %") == [world.darcy["number"]]
    assert numbers("", q="%") == [world.darcy["number"]]
    assert numbers("", q="_") == []
    assert numbers("", q="\\") == []


def test_filter_by_the_assessment_of_a_principle(personas, world):
    assert numbers("", principle="privacy", assessment="non_compliant") == [world.cameras["number"]]
    assert numbers("", principle="privacy", assessment="compliant") == [
        world.correction["number"],
        world.darcy["number"],
    ]
    assert numbers("", principle="fairness", assessment="non_compliant") == []
    assert numbers("", assessment="non_compliant") == [world.cameras["number"]]
    assert len(numbers("", principle="privacy")) == 3
    assert numbers("", principle="unknown_code") == []


def test_filters_combine(personas, world):
    assert numbers("", q="capteurs", verdict="unfavorable") == []
    assert numbers("", q="vidéo", verdict="unfavorable", assessment="non_compliant") == [
        world.cameras["number"]
    ]


def test_superseded_opinions_are_listed_and_marked(personas, world):
    listed = call("cdm_opinion_list", "", q="darcy")["results"]
    old = next(o for o in listed if o["number"] == world.darcy["number"])
    assert old["superseded_by"]["number"] == world.correction["number"]
    assert next(o for o in listed if o is not old)["superseded_by"] is None


def test_a_private_datasets_opinion_is_never_listed_to_others(personas, world):
    secret = world.secret["number"]
    for user in ("", personas.registered, personas.other_steward):
        assert secret not in numbers(user, limit=100)
        assert numbers(user, q="confidentiel") == []
        assert numbers(user, q=secret) == []
        assert numbers(user, principle="privacy", assessment="partially_compliant") == []
    assert numbers(personas.steward, q="confidentiel") == [secret]


def test_with_withheld_an_opinion_on_a_private_dataset_is_its_number_and_date(personas, world):
    """``withheld``: the gap in the numbers is a row that says nothing but
    the number and the date, to those who may not see the dataset."""
    secret = world.secret["number"]
    for user in ("", personas.registered, personas.other_steward):
        listed = call("cdm_opinion_list", user, withheld=True, limit=100)
        assert listed["count"] == 4
        (row,) = [o for o in listed["results"] if o["number"] == secret]
        assert set(row) == {"number", "year", "state", "published_at", "withheld"}
        assert row["withheld"] is True
        assert all(o["withheld"] is False for o in listed["results"] if o is not row)
        assert numbers(user, withheld=True, number=secret) == [secret]
        assert numbers(user, withheld=True, year=int(secret[:4]), number=secret) == [secret]
        # a filter on what it hides leaves it out: its presence would tell
        for hidden in (
            {"verdict": "favorable"},
            {"organization": personas.organization["name"]},
            {"q": "confidentiel"},
            {"q": secret},
            {"principle": "privacy"},
            {"assessment": "partially_compliant"},
            {"dataset": world.secret["package_id"]},
            {"review": world.secret["review_id"]},
        ):
            assert secret not in numbers(user, withheld=True, limit=100, **hidden), hidden
    # who may see the dataset reads the opinion itself
    (row,) = call("cdm_opinion_list", personas.steward, withheld=True, number=secret)["results"]
    assert row["withheld"] is False
    assert row["dataset_title"] == world.secret["dataset_title"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": ["a"]}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"principle": "Privacy!"}, "principle"),
        ({"assessment": "bad"}, "assessment"),
        ({"assessment": {"a": 1}}, "assessment"),
        ({"number": ["2026-001"]}, "number"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(personas, charter, filters, field):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_opinion_list", "", **filters)
    assert field in error.value.error_dict


def test_a_longer_page_of_opinions_costs_no_more_queries(personas, world):
    """The corrections, corrected opinions and recused members of a page are
    read once for the whole page, not per row."""

    def queries(limit: int) -> int:
        with sql_statements() as statements:
            listed = call("cdm_opinion_list", personas.sysadmin, limit=limit)
        assert len(listed["results"]) == limit
        return len(statements)

    assert queries(1) == queries(3)
    both = {
        o["number"]: o for o in call("cdm_opinion_list", personas.sysadmin, limit=10)["results"]
    }
    assert both[world.darcy["number"]]["superseded_by"]["number"] == world.correction["number"]
    assert both[world.correction["number"]]["supersedes"]["number"] == world.darcy["number"]
