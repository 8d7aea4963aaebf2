"""Fixtures shared by the whole suite. Everything runs on the real services
named in test.ini: PostgreSQL, Solr (core ckan_test) and Redis."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from ckan import logic, model, plugins
from ckan.tests import factories, helpers
from ckan.tests.helpers import CKANTestApp

from tests import isolation

# a mandate that started in the past and ends in the far future: the personas
# are in office whatever the day of the run (docs/development.md)
MANDATE = {"mandate_start": "2026-01-01", "mandate_end": "2099-12-31"}


@pytest.fixture(scope="session", autouse=True)
def _indexing():
    isolation.soft_commits()
    isolation.record_indexing()


@pytest.fixture(autouse=True)
def isolated(request):
    """Each test transactional or committing, with the plugins of test.ini
    (tests/isolation.py says how)."""
    item = request.node
    if item.get_closest_marker("ckan_config"):
        # the plugins read the test's configuration, as with CKAN's with_plugins,
        # and its app is built with it, before the test's transaction
        request.getfixturevalue("ckan_config")
        plugins.load_all()
        isolation.plugins_changed()
        if "app" in item.fixturenames:
            request.getfixturevalue("app")
    else:
        isolation.ensure_standard_plugins()
    if item.get_closest_marker("browser"):
        yield  # the served portal keeps its own data (tests/browser/conftest.py)
        isolation.STATE.base = None
        return
    if isolation.is_committing(item):
        isolation.empty_database()
        try:
            yield
        finally:
            model.Session.remove()
            isolation.STATE.index_dirty = True
            isolation.clear_indexed()
        return
    ensure_base()
    isolation.push_transaction()
    try:
        yield
    finally:
        escaped = model.Session.get_bind() is not isolation.STATE.connection
        isolation.pop_transaction()
        isolation.clear_indexed()
        if escaped:
            isolation.STATE.base = None
            pytest.fail(
                "the session left the test's transaction (the plugins were loaded or an "
                "app built during the test?): mark the test `committing`"
            )


def ensure_base() -> Personas:
    """The base of the transactional tests, committed: rebuilt after a committing test."""
    if not plugins.plugin_loaded("cdm"):  # the migrations need the plugins, not an app:
        isolation.ensure_standard_plugins()  # a ckan_config test's app is its own
    if isolation.STATE.base is None:
        assert not isolation.STATE.transactions, "the base is rebuilt inside a module's world"
        isolation.empty_database()
        # the site user too: made on a first load of the plugins otherwise, on
        # another connection, while a module's world may hold it uncommitted
        logic.get_action("get_site_user")({"ignore_auth": True}, {})
        isolation.STATE.base = build_personas()
    return isolation.STATE.base


@pytest.fixture(scope="module")
def module_base():
    """For a module's read-only world: the base personas and the adopted charter,
    in a transaction open for the whole module (each test in a SAVEPOINT of it).
    Only transactional tests may use it."""
    personas = ensure_base()
    with isolation.module_transaction():
        isolation.STATE.charter = adopt_charter(personas)
        yield personas, isolation.STATE.charter
        isolation.STATE.charter = None


def pytest_itemcollected(item):
    """Each test's layer, a marker given from its file (before ``-m`` selects),
    and its place in the files."""
    item.stash[COLLECTED] = next(COLLECTION_ORDER)
    path = item.nodeid.split("::")[0]
    for prefix, marker in LAYERS.items():
        if path.startswith(prefix):
            item.add_marker(marker)


@pytest.hookimpl(trylast=True)  # after pytest-random-order shuffled them (--random-order)
def pytest_collection_modifyitems(config, items):
    """The transactional tests first, the committing ones after them and the
    browser suite last: the base is built once for all the transactional tests.
    The browser suite keeps the order of its files, even with --random-order:
    its walks change, on purpose, the data of the one portal it serves (a walk
    publishes the opinion and the report whose pages another test checks)."""

    def rank(item) -> tuple[int, int]:
        if item.get_closest_marker("browser"):
            return (2, item.stash[COLLECTED])
        return (int(isolation.is_committing(item)), 0)

    items.sort(key=rank)


@pytest.fixture
def app(request, make_app):
    """A test client of the app built once for the run (a new app for a test that
    changes the configuration)."""
    if request.node.get_closest_marker("ckan_config"):
        return make_app()
    return CKANTestApp(isolation.shared_app())


@pytest.fixture(scope="session")
def reset_db():
    """Empties the database (committing tests only: tests/isolation.py)."""
    return isolation.empty_database


@pytest.fixture
def clean_db():
    """A committing test (tests/isolation.py): the database was emptied before it."""


@pytest.fixture
def clean_index():
    """The search index is empty when the test starts (each test deletes what it
    indexed: tests/isolation.py); this empties it if something was left there."""
    isolation.clear_indexed()


@dataclass
class Personas:
    """One user per role of the auth matrices (``anonymous`` is the empty name)."""

    organization: dict
    other_organization: dict
    sysadmin: str
    registered: str
    steward: str
    other_steward: str
    member: str
    conflicted_member: str
    president: str
    anonymous: str = ""

    def name(self, persona: str) -> str:
        return getattr(self, persona)


PERSONAS = (
    "anonymous",
    "registered",
    "other_steward",
    "steward",
    "member",
    "conflicted_member",
    "president",
    "sysadmin",
)


def seat(sysadmin: str, user: str, college: str, role: str = "member", **extra) -> dict:
    return helpers.call_action(
        "cdm_member_create",
        context={"user": sysadmin},
        user=user,
        college=college,
        role=role,
        **{**MANDATE, **extra},
    )


def build_personas() -> Personas:
    """The users, organizations and seats of the auth matrices (committed)."""
    sysadmin = factories.Sysadmin()["name"]
    steward = factories.User()["name"]
    other_steward = factories.User()["name"]
    conflicted = factories.User()["name"]
    organization = factories.Organization(
        users=[
            {"name": steward, "capacity": "editor"},
            {"name": conflicted, "capacity": "member"},
        ]
    )
    other_organization = factories.Organization(
        users=[{"name": other_steward, "capacity": "editor"}]
    )
    member = factories.User()["name"]
    president = factories.User()["name"]
    seat(sysadmin, president, "civil_society", "president")
    seat(sysadmin, member, "research")
    seat(sysadmin, conflicted, "business")
    return Personas(
        organization=organization,
        other_organization=other_organization,
        sysadmin=sysadmin,
        registered=factories.User()["name"],
        steward=steward,
        other_steward=other_steward,
        member=member,
        conflicted_member=conflicted,
        president=president,
    )


@pytest.fixture
def personas(request) -> Personas:
    """The personas: those of the base in a transactional test, new ones in a
    committing test (after the database was emptied)."""
    if isolation.is_committing(request.node) or request.node.get_closest_marker("browser"):
        return build_personas()
    return isolation.STATE.base


def is_authorized(auth: str, user: str, **data) -> bool:
    """Whether ``user`` passes the auth function ``auth`` (through check_access)."""
    context = {"user": user, "model": model, "ignore_auth": False}
    try:
        logic.check_access(auth, context, data)
    except logic.NotAuthorized:
        return False
    return True


def adopt_charter(personas: Personas) -> dict:
    """The shipped charter, adopted by the president."""
    from ckanext.cdm.data import read_charter

    president = {"user": personas.president}
    helpers.call_action("cdm_charter_create", context=president, **read_charter())
    return helpers.call_action(
        "cdm_charter_adopt", context=president, id="1.0", decision_reference="Séance 1"
    )


@pytest.fixture
def charter(personas) -> dict:
    """The shipped charter, adopted by the president (the module's, in a module world)."""
    return isolation.STATE.charter or adopt_charter(personas)


@pytest.fixture
def charters(personas):
    """Version 1.0 of the shipped charter adopted, and a draft 1.1 copied from it."""
    from ckanext.cdm.data import read_charter

    president = {"user": personas.president}
    helpers.call_action("cdm_charter_create", context=president, **read_charter())
    helpers.call_action(
        "cdm_charter_adopt",
        context=president,
        id="1.0",
        adopted_on="2024-06-20",
        decision_reference="Séance du 20 juin 2024",
    )
    helpers.call_action("cdm_charter_create", context=president, number="1.1", copy_from="1.0")
    return personas


def complete_answers(charter: dict) -> dict:
    return {
        q["code"]: {"status": "yes", "justification": f"Justification de {q['code']}."}
        for p in charter["principles"]
        for q in p["questions"]
    }


@pytest.fixture
def dataset(personas, charter, clean_index) -> dict:
    """A public dataset of the steward's organization, its self-assessment complete."""
    pkg = factories.Dataset(owner_org=personas.organization["id"], title="Capteurs d'affluence")
    helpers.call_action(
        "cdm_self_assessment_save",
        context={"user": personas.steward},
        id=pkg["id"],
        answers=complete_answers(charter),
    )
    return pkg


@pytest.fixture
def submitted(personas, dataset) -> dict:
    return helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )


def submit_dataset(steward: str, organization: dict, charter: dict, **fields) -> tuple[dict, dict]:
    """A new dataset of ``organization``, its self-assessment complete, submitted
    by ``steward``; returns (dataset, review)."""
    pkg = factories.Dataset(owner_org=organization["id"], **fields)
    helpers.call_action(
        "cdm_self_assessment_save",
        context={"user": steward},
        id=pkg["id"],
        answers=complete_answers(charter),
    )
    review = helpers.call_action("cdm_review_submit", context={"user": steward}, id=pkg["id"])
    return pkg, review


# the real SMTP sink of the e-mail tests, for every test module
from tests.test_notifications import smtp_sink  # noqa: E402, F401

COLLECTED = pytest.StashKey[int]()
COLLECTION_ORDER = itertools.count()

# the layers of the suite (docs/development.md): `make test-quick` leaves out
# the browser, junk and demo tests
LAYERS = {
    "tests/browser/": "browser",
    "tests/logic/test_junk.py": "junk",
    "tests/logic/test_report_junk.py": "junk",
    "tests/test_demo.py": "demo",
}
