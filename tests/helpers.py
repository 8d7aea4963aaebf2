"""Small helpers for the page tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from bs4 import BeautifulSoup
from ckan import model
from ckan.tests import factories

from tests.isolation import SAVEPOINT_STATEMENTS


def auth_headers(user_name: str) -> dict[str, str]:
    """Headers logging ``user_name`` in on any page (API token)."""
    if not user_name:
        return {}
    return {"Authorization": factories.APIToken(user=user_name)["token"]}


def page(response) -> BeautifulSoup:
    """The HTML of a response, parsed: assert on what a person sees."""
    return BeautifulSoup(response.body, "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    """The text of the page's main content, as read (tags removed, spaces collapsed)."""
    main = soup.find(id="content") or soup
    return " ".join(main.get_text(" ").split())


@contextmanager
def sql_statements(parameters: bool = False) -> Iterator[list]:
    """The SQL statements the code sends to the database inside the block, in
    order: ``with sql_statements() as statements: …; len(statements)`` (without
    the SAVEPOINTs that stand in for its commits in a transactional test);
    with ``parameters``, (statement, parameters) pairs."""
    statements: list = []

    def listen(conn, cursor, statement, sent, *args) -> None:
        if not statement.lstrip().upper().startswith(SAVEPOINT_STATEMENTS):
            statements.append((statement, sent) if parameters else statement)

    engine = model.meta.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
