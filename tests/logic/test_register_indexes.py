"""The register's page and its search read indexes (migration
``0013_register_indexes``): the plans of the statements ``cdm_opinion_list``
sends, with sequential scans and sorts made dear (the test tables are small:
the planner would read them whole otherwise), name the indexes; and the
search still finds what the ``ILIKE`` found (tests/logic/test_opinion_register.py)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories

from tests.helpers import sql_statements
from tests.logic.opinions import call
from tests.logic.register import register


@pytest.fixture(scope="module")
def world(module_base):
    return register(*module_base)


def plans(user: str = "", *settings: str, **filters) -> list[str]:
    """The plans of the statements of ``cdm_opinion_list`` that read the list
    (its count and its page), as PostgreSQL would run them on a large table."""
    connection = model.Session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql("SET LOCAL enable_sort = off")
    for setting in settings:
        connection.exec_driver_sql(f"SET LOCAL {setting} = off")
    with sql_statements(parameters=True) as sent:
        call("cdm_opinion_list", user, limit=20, **filters)
    # the SELECTs on cdm_opinion: the count, then the page
    seen = [
        (sql, params)
        for sql, params in sent
        if sql.lstrip().upper().startswith("SELECT") and "FROM cdm_opinion" in sql
    ]
    count, page = seen[:2]
    assert "count(" in count[0]
    assert "ORDER BY" in page[0]
    return [
        "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + sql, params))
        for sql, params in (count, page)
    ]


def test_the_page_is_read_in_the_order_of_the_index(personas, world):
    _, page = plans()
    assert "cdm_opinion_register_order" in page
    assert "Sort" not in page


@pytest.mark.parametrize("withheld", [True, False])
def test_the_count_reads_the_index_only(personas, world, withheld):
    # bitmap scans made dear too: on a large table, vacuumed, the planner
    # prefers the index-only scan by itself (docs/performance.md)
    count, _ = plans("", "enable_bitmapscan", withheld=withheld)
    assert "Index Only Scan using cdm_opinion_register_order" in count


def test_the_words_are_searched_with_the_trigram_indexes(personas, world):
    # as a sysadmin: no filter on the labels, whose own index the planner
    # prefers on a table of four rows; the words are the same expressions
    count, _ = plans(factories.Sysadmin()["name"], q="darcy")
    for index in ("cdm_opinion_title_trgm", "cdm_opinion_number_trgm", "cdm_opinion_summary_trgm"):
        assert index in count


def test_the_search_finds_what_the_ilike_found(personas, world):
    def numbers(q: str) -> list[str]:
        return [o["number"] for o in call("cdm_opinion_list", "", q=q)["results"]]

    darcy, correction = world.darcy["number"], world.correction["number"]
    assert numbers("arc") == [correction, darcy]  # a part of a word
    assert numbers("PLACE DARCY") == [correction, darcy]  # case ignored
    assert numbers("FLOUTÉES") == [world.cameras["number"]]  # accents, case ignored
    assert numbers("100 %") == [darcy]  # punctuation and % taken literally
    assert numbers(darcy[4:]) == [darcy]  # a part of a number (« -001 »)
