"""The browser suite: the portal served for real, driven by Debian's Chromium.

One server per run of this package: ``ckan run`` in a subprocess, on the test
database (the ``CKAN_*`` environment variables are inherited), French by
default, started after the data below exists. The tests of this package do not
reset the database; the other test files do, so none of them runs in between
(pytest runs this package's tests together).

Chromium is Debian's (``scripts/chromium.sh`` installs it; ``make test`` calls
it): Playwright drives ``/usr/bin/chromium`` and never downloads a browser.

The walks wait on what the page shows, never on time: Playwright's actions
and ``expect(...)`` retry until the state is there, within ``STEP_TIMEOUT_MS``
(15 s, for a loaded machine), and within ``FIRST_PAGE_TIMEOUT_MS`` (60 s) until
the first page of a test has loaded (templates compiled on a cold server).
A failing test leaves, under ``.run/log/browser/`` and named after its node id,
a screenshot and the HTML of each page it had open, and the tail of the
portal's log (:func:`save_page`, :func:`save_artefacts`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ckan import plugins
from ckan.tests import factories, helpers
from playwright.sync_api import expect

from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from tests.conftest import complete_answers, seat

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CDM_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags, Chromium's connections to Google's
# services are refused on a closed network, many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Motdepasse-du-navigateur-2026"
SERVER_START_SECONDS = 90
# how long an action or an ``expect`` waits for its state: the first page of
# a test (a cold template on a loaded machine), then every other step
FIRST_PAGE_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 15_000
# where a failing test leaves its screenshots, pages and the portal's log
ARTEFACTS = Path(os.environ.get("CDM_RUN_DIR", ROOT / ".run")) / "log" / "browser"
SERVER_LOG_TAIL_LINES = 300
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # werkzeug colours its request lines
REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (``setup``, ``call``), so that the
    ``visit`` fixture knows at teardown whether its test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def failed(item: pytest.Item) -> bool:
    """Whether the test's set-up or body failed (so far)."""
    reports = item.stash.get(REPORTS, {})
    return any(r.failed for when, r in reports.items() if when in ("setup", "call"))


def artefact_stem(nodeid: str) -> str:
    """A file name from a test's node id: its letters, digits, dots and dashes,
    the rest as ``_``; a long one keeps its start and a hash of the whole."""
    stem = re.sub(r"[^A-Za-z0-9.-]+", "_", nodeid).strip("_")
    if len(stem) > 150:
        stem = f"{stem[:140]}-{hashlib.sha1(nodeid.encode()).hexdigest()[:8]}"
    return stem


def save_page(page, stem: Path) -> list[Path]:
    """A full-page screenshot (``stem.png``) and the HTML (``stem.html``, its
    address in a comment on the first line) of a browser page. Whatever cannot
    be saved (a crashed page) is skipped: the test's own failure is what counts."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    # node ids hold dots (``test_x.py``): no ``with_suffix``
    image, html = (stem.parent / f"{stem.name}.{ext}" for ext in ("png", "html"))
    saved = []
    try:
        page.screenshot(path=image, full_page=True, timeout=STEP_TIMEOUT_MS)
        saved.append(image)
    except Exception as error:  # keep the HTML if the image fails
        sys.stderr.write(f"no screenshot of {page.url}: {error}\n")
    try:
        html.write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
        saved.append(html)
    except Exception as error:
        sys.stderr.write(f"no HTML of {page.url}: {error}\n")
    return saved


def save_artefacts(nodeid: str, pages: list, server_log: Path | None) -> list[Path]:
    """Everything a red run needs to be read: each open page (``-1``, ``-2``…
    in the order they were opened) and the tail of the portal's log."""
    stem = ARTEFACTS / artefact_stem(nodeid)
    saved = []
    for number, page in enumerate(pages, start=1):
        saved += save_page(page, stem.with_name(f"{stem.name}-{number}"))
    if server_log is not None and server_log.exists():
        text = ANSI_COLOURS.sub("", server_log.read_text(errors="replace"))
        lines = text.splitlines()[-SERVER_LOG_TAIL_LINES:]
        tail = stem.with_name(f"{stem.name}-server.log")
        tail.parent.mkdir(parents=True, exist_ok=True)
        tail.write_text("\n".join(lines) + "\n", encoding="utf-8")
        saved.append(tail)
    return saved


_SAVED: list[Path] = []


def pytest_terminal_summary(terminalreporter):
    if _SAVED:
        terminalreporter.section("browser artefacts of the failed tests")
        for path in _SAVED:
            terminalreporter.write_line(str(path))


@dataclass
class Person:
    name: str
    fullname: str


@dataclass
class Portal:
    """The served portal and the data the tests walk through."""

    url: str
    people: dict[str, Person]
    datasets: dict[str, dict]
    charter_draft: str
    log: Path
    extra: dict = field(default_factory=dict)

    def __call__(self, path: str) -> str:
        return self.url + path


def _user(persona: str, fullname: str, sysadmin: bool = False) -> Person:
    factory = factories.Sysadmin if sysadmin else factories.User
    user = factory(name=f"nav-{persona}", fullname=fullname, password=PASSWORD)
    return Person(user["name"], fullname)


def _create_data() -> dict:
    """Everything the walk and the page checks need, through the action API."""
    people = {
        "sysadmin": _user("sysadmin", "Alix Administratrice", sysadmin=True),
        "steward": _user("steward", "Claire Dumas"),
        "president": _user("president", "Lucien Berger"),
        "rapporteur": _user("rapporteur", "Inès Morel"),
    }
    admin = people["sysadmin"].name
    organization = factories.Organization(
        title="Direction de la mobilité",
        users=[{"name": people["steward"].name, "capacity": "editor"}],
    )
    # « Pour le Comité, le Président, Lucien Berger » signs the printed opinions
    seat(admin, people["president"].name, "civil_society", "president", form_of_address="monsieur")
    seat(admin, people["rapporteur"].name, "research")

    from ckanext.cdm.data import read_charter

    president = {"user": people["president"].name}
    charter_data = read_charter()
    helpers.call_action("cdm_charter_create", context=president, **charter_data)
    charter = helpers.call_action(
        "cdm_charter_adopt",
        context=president,
        id=charter_data["number"],
        decision_reference="Séance 1",
    )
    draft = helpers.call_action(
        "cdm_charter_create", context=president, **{**charter_data, "number": "2.0"}
    )
    for day, summary in (
        ("2025-05-02", "## Échanges\n\nQuarante participants."),
        ("2099-03-12", ""),
    ):
        helpers.call_action(
            "cdm_meeting_create",
            context=president,
            title=f"Réunion publique du {day}",
            starts_at=f"{day}T18:00",
            ends_at=f"{day}T20:00",
            place="Médiathèque des Tilleuls",
            description="Atelier **ouvert à tous**.",
            registration_url="https://example.org/inscription",
            **({"summary": summary} if summary else {}),
        )

    steward = {"user": people["steward"].name}

    def dataset(title: str, *tags: str) -> dict:
        # tags and a CSV resource, so that CKAN's facets show on the search pages
        return factories.Dataset(
            owner_org=organization["id"],
            title=title,
            tags=[{"name": tag} for tag in tags],
            resources=[{"url": "http://127.0.0.1/donnees.csv", "format": "CSV", "name": title}],
        )

    datasets = {
        # the walk: no self-assessment yet
        "walk": dataset("Capteurs d'affluence du tramway", "mobilité", "capteurs"),
        # for the page checks: a review waiting for the committee…
        "submitted": dataset("Comptages vélo", "mobilité", "vélo"),
        # …one sent back to its steward…
        "changes": dataset("Arrêts de bus accessibles", "mobilité", "accessibilité"),
        # …one never submitted…
        "fresh": dataset("Qualité de l'air", "environnement"),
        # …and one more submitted, so that the lists of reviews have two pages
        "more": dataset("Fréquentation des piscines", "sport"),
    }
    for key in ("more", "submitted", "changes"):
        helpers.call_action(
            "cdm_self_assessment_save",
            context=steward,
            id=datasets[key]["id"],
            answers=complete_answers(charter),
        )
        review = helpers.call_action(
            "cdm_review_submit", context=steward, id=datasets[key]["id"], message="Pour avis."
        )
    helpers.call_action(
        "cdm_review_request_changes",
        context=president,
        id=review["id"],
        message="Précisez la durée de conservation des données.",
    )
    extra = {"opinion_session": _opinion_walk_data(people, organization, charter, datasets)}
    extra["opinions"] = _published_opinions(people, organization, charter, datasets)
    return {
        "people": people,
        "datasets": datasets,
        "charter_draft": draft["number"],
        "extra": extra,
    }


def _opinion_walk_data(people: dict, organization: dict, charter: dict, datasets: dict) -> str:
    """The opinion walk's start: a review in examination (Inès Morel its
    rapporteur) on the agenda of a session held yesterday, where the president
    and the rapporteur were present (quorum: 2 of the 2 members in office).
    Returns the session's id."""
    import datetime as dt

    steward, president = {"user": people["steward"].name}, {"user": people["president"].name}
    datasets["opinion"] = factories.Dataset(
        owner_org=organization["id"], title="Vidéoverbalisation des couloirs de bus"
    )
    helpers.call_action(
        "cdm_self_assessment_save",
        context=steward,
        id=datasets["opinion"]["id"],
        answers=complete_answers(charter),
    )
    review = helpers.call_action("cdm_review_submit", context=steward, id=datasets["opinion"]["id"])
    helpers.call_action(
        "cdm_review_assign",
        context=president,
        id=review["id"],
        rapporteur=people["rapporteur"].name,
    )
    yesterday = clock.today() - dt.timedelta(days=1)
    session = helpers.call_action(
        "cdm_session_create",
        context=president,
        starts_at=f"{yesterday.isoformat()}T18:00",
        place="Salle des commissions",
        agenda=[review["id"]],
    )
    helpers.call_action(
        "cdm_session_update",
        context=president,
        id=session["id"],
        attendance=[people["president"].name, people["rapporteur"].name],
    )
    return session["id"]


# the opinions the committee published before the suite starts: one of each
# verdict, so that the catalogue shows each badge they earn and the register
# has something to filter (key of the dataset: title, verdict, badge)
PUBLISHED = {
    "compliant": ("Horaires des parkings relais", "favorable"),
    "reserved": ("Comptages piétons du centre", "favorable_with_reservations"),
    "refused": ("Journaux du wifi des bibliothèques", "unfavorable"),
}


# in the members' mandate (tests/conftest.py: from 1 January 2026) and before
# the session walk's (12 March 2026), so that the list of past sessions, two a
# page, shows that one on its first page
SESSION_OF_THE_OPINIONS = "2026-02-10"


def _published_opinions(people: dict, organization: dict, charter: dict, datasets: dict) -> dict:
    """A session held on ``SESSION_OF_THE_OPINIONS`` (the president and the rapporteur present)
    adopted an opinion on each dataset of ``PUBLISHED``, Inès Morel their
    rapporteur. Returns {dataset key: opinion number}."""
    steward, president = {"user": people["steward"].name}, {"user": people["president"].name}
    rapporteur = {"user": people["rapporteur"].name}
    reviews = {}
    for key, (title, _) in PUBLISHED.items():
        datasets[key] = factories.Dataset(
            owner_org=organization["id"],
            title=title,
            resources=[{"url": "http://127.0.0.1/donnees.csv", "format": "CSV", "name": title}],
        )
        helpers.call_action(
            "cdm_self_assessment_save",
            context=steward,
            id=datasets[key]["id"],
            answers=complete_answers(charter),
        )
        review = helpers.call_action("cdm_review_submit", context=steward, id=datasets[key]["id"])
        helpers.call_action(
            "cdm_review_assign",
            context=president,
            id=review["id"],
            rapporteur=people["rapporteur"].name,
        )
        reviews[key] = review["id"]
    session = helpers.call_action(
        "cdm_session_create",
        context=president,
        starts_at=f"{SESSION_OF_THE_OPINIONS}T18:00",
        place="Salle du conseil",
        agenda=list(reviews.values()),
    )
    helpers.call_action(
        "cdm_session_update",
        context=president,
        id=session["id"],
        attendance=[people["president"].name, people["rapporteur"].name],
    )
    numbers = {}
    for key, (title, verdict) in PUBLISHED.items():
        status = "non_compliant" if verdict == "unfavorable" else "compliant"
        draft = helpers.call_action(
            "cdm_opinion_create",
            context=rapporteur,
            review=reviews[key],
            verdict=verdict,
            summary=f"Avis du comité sur « {title} ».",
            assessments={
                p["code"]: {"status": status, "comment": "Examiné en séance."}
                for p in charter["principles"]
            },
            **({"reservations": "Agréger les comptages par heure."} if key == "reserved" else {}),
        )
        opinion = helpers.call_action(
            "cdm_opinion_publish",
            context=president,
            id=draft["id"],
            session=session["id"],
            votes_for=2,
            votes_against=0,
            votes_abstain=0,
            votes_not_voting=0,
            votes_proxies=0,
        )
        numbers[key] = opinion["number"]
    return numbers


def _pause(seconds: float) -> None:
    """Wait ``seconds`` between two polls. Not ``time.sleep`` (nor
    ``Popen.wait(timeout=…)``, which sleeps): under Debian's libfaketime 0.9.10
    with ``FAKETIME_DONT_FAKE_MONOTONIC=1`` (make test-dates) it fails with
    EINVAL; an event's timed wait does not."""
    threading.Event().wait(seconds)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _serve(ini: Path, port: int, log: Path) -> subprocess.Popen:
    ckan = Path(sys.executable).with_name("ckan")
    with log.open("w") as out:
        return subprocess.Popen(
            [
                str(ckan),
                "-c",
                str(ini),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--disable-reloader",
                "--threaded",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )


@pytest.fixture(scope="package")
def portal(reset_db, migrate_db_for, reset_index, tmp_path_factory) -> Iterator[Portal]:
    """The portal served on a free port, in French, with the suite's data."""
    shutil.rmtree(ARTEFACTS, ignore_errors=True)  # what a previous run left
    plugins.load_all()
    try:
        reset_db()
        migrate_db_for("activity")
        migrate_db_for("cdm")
        reset_index()
        data = _create_data()
    finally:
        plugins.unload_all()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("portal")
    ini = folder / "browser.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{ROOT / 'test.ini'}\n"
        f"ckan.site_url = {url}\n"
        "ckan.locale_default = fr\n"
        # short pages, so that the checks see the pagination of the catalogue
        # and of the extension's lists
        "ckan.datasets_per_page = 2\n"
        "ckanext.cdm.page_size = 2\n"
        # the log saved with a failed walk: each request and its status,
        # CKAN's warnings and every traceback
        "\n[loggers]\nkeys = root, werkzeug\n"
        "[handlers]\nkeys = console\n"
        "[formatters]\nkeys = generic\n"
        "[logger_root]\nlevel = WARNING\nhandlers = console\n"
        "[logger_werkzeug]\nlevel = INFO\nhandlers = console\nqualname = werkzeug\npropagate = 0\n"
        "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nformatter = generic\n"
        "[formatter_generic]\nformat = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s\n"
    )
    log = folder / "server.log"
    server = _serve(ini, port, log)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not _answers(url):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the portal did not start on {url}:\n{log.read_text()[-3000:]}")
        _pause(0.5)  # a poll interval, with a deadline: not a wait on time
    try:
        yield Portal(url=url, log=log, **data)
    finally:
        server.terminate()
        deadline = time.monotonic() + 15
        while server.poll() is None and time.monotonic() < deadline:
            _pause(0.2)
        if server.poll() is None:
            server.kill()


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `bash scripts/chromium.sh` "
            "(make test does), or set CDM_CHROMIUM to another build"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def _logged_in() -> dict[str, dict]:
    """The cookies of each persona once logged in, kept for the whole package."""
    return {}


@pytest.fixture
def visit(browser, portal, _logged_in, request) -> Iterator[Callable]:
    """``visit(persona)``: a fresh browser page, logged in as ``persona`` through
    CKAN's login form (``anonymous``: not logged in).

    Until the first page of the test has loaded, actions and ``expect`` wait
    up to ``FIRST_PAGE_TIMEOUT_MS``, then ``STEP_TIMEOUT_MS``. If the test
    fails, every page it opened is saved at teardown (``save_artefacts``)."""
    contexts = []

    def warmed_up(context) -> None:
        context.set_default_timeout(STEP_TIMEOUT_MS)
        expect.set_options(timeout=STEP_TIMEOUT_MS)

    def open_page(persona: str = "anonymous"):
        first = not contexts
        context = browser.new_context(
            locale="fr-FR", base_url=portal.url, storage_state=_logged_in.get(persona)
        )
        context.set_default_timeout(FIRST_PAGE_TIMEOUT_MS if first else STEP_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if persona != "anonymous" and persona not in _logged_in:
            log_in(page, portal.people[persona])
            _logged_in[persona] = context.storage_state()
        if first:
            # the test's first page (after any log-in) is the slow one
            page.once("load", lambda _page: warmed_up(context))
        return page

    expect.set_options(timeout=FIRST_PAGE_TIMEOUT_MS)
    try:
        yield open_page
        if failed(request.node):
            pages = [page for context in contexts for page in context.pages]
            _SAVED.extend(save_artefacts(request.node.nodeid, pages, portal.log))
    finally:
        expect.set_options(timeout=None)
        for context in contexts:
            context.close()


def log_in(page, person: Person) -> None:
    """Through CKAN's form, with the time a first page may take."""
    page.goto("/user/login", timeout=FIRST_PAGE_TIMEOUT_MS)
    page.get_by_label(re.compile("Username or Email|Nom d.utilisateur", re.I)).fill(person.name)
    page.get_by_label(re.compile("^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Déconnexion")).to_have_count(
        1, timeout=FIRST_PAGE_TIMEOUT_MS
    )
