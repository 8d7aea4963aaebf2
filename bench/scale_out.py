"""The checks of the scale-out run (bench/scale_out.sh, docs/scaling.md).

Usage: python bench/scale_out.py bench/scale-out.ini NODE_A NODE_B SOLR_COLLECTION_URL MAIL_LOG

NODE_A and NODE_B are the base URLs of the two gunicorn nodes, which share
the database, the SolrCloud collection and the Redis database of the ini
(the environment's CKAN_* variables override it, as for the nodes);
MAIL_LOG is the file of the SMTP sink the rq worker sends to.

1. badges: the ``cdm_badge`` facet counts and the ``fq=cdm_badge:<code>``
   results of ``package_search`` on each node equal what the database's badge
   facts give, both shards of the collection hold documents, and the shards'
   own facets add up to the database's counts;
2. sessions: the login form of node A, posted to node B, opens a session
   that node A honours;
3. one open review per dataset: two ``cdm_review_submit`` of one dataset, one
   to each node at the same moment;
4. opinion numbers: two ``cdm_opinion_publish`` (two reviews, two sessions),
   one to each node at once, get distinct consecutive numbers;
5. seats: four ``cdm_member_create`` for the last two seats of a college, two
   to each node at once, fill the seats and no more;
6. after the races, the badges again (the index follows the writes of both
   nodes), and the rq worker ran every job the nodes queued.

The races are those of tests/logic/test_concurrency.py and
tests/logic/test_opinion_concurrency.py, driven over the HTTP action API:
threads, each with its connection already open, released by a barrier. The
fixtures around them (users, datasets, drafts, a held session) are written
in this process through the extension's actions and models, as the tests
write them. Prints OK or FAIL per check; exits 1 when one fails.
"""

from __future__ import annotations

import collections
import datetime as dt
import http.client
import itertools
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, NamedTuple

from catalogue import open_app, site_context

ROUNDS = int(os.environ.get("CDM_SCALE_ROUNDS", "6"))
SEATS_COLLEGE = "local_authorities"
PASSWORD = "Scale-out-2026!"
MANDATE = {"mandate_start": "2026-01-01", "mandate_end": "2099-12-31"}

failures: list[str] = []
_users = itertools.count(1)


def log(message: str) -> None:
    print(f"[scale-out] {message}", flush=True)


def verdict(name: str, ok: bool, detail: str) -> None:
    print(f"{'OK  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


# HTTP


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def search(node: str, **params: Any) -> dict[str, Any]:
    query = urllib.parse.urlencode(
        {k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()}
    )
    return get_json(f"{node}/api/3/action/package_search?{query}")["result"]


class Race(NamedTuple):
    outcomes: list[str]  # "ok", "refused" (a validation error) or what else came back
    overlapped: bool  # every request was sent before any answer came back


def race(calls: list[tuple[str, str, str, dict[str, Any]]]) -> Race:
    """Send each (node, action, token, data) at the same moment, one thread
    and one open connection each."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)
    sent = [0.0] * len(calls)
    answered = [0.0] * len(calls)

    def run(index: int, node: str, action: str, token: str, data: dict[str, Any]) -> None:
        parsed = urllib.parse.urlsplit(node)
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        body = json.dumps(data).encode()
        headers = {"Content-Type": "application/json", "Authorization": token}
        try:
            connection.connect()
            barrier.wait()
            sent[index] = time.monotonic()
            connection.request("POST", f"/api/3/action/{action}", body, headers)
            response = connection.getresponse()
            answer = json.loads(response.read() or b"{}")
            answered[index] = time.monotonic()
            error = answer.get("error") or {}
            if response.status == 200 and answer.get("success"):
                outcomes[index] = "ok"
            elif response.status == 409 and error.get("__type") == "Validation Error":
                outcomes[index] = "refused"
            else:
                outcomes[index] = f"HTTP {response.status} {error}"
        except Exception as exc:  # reported in the check's verdict
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Race(outcomes, max(sent) < min(answered))


# Fixtures, written in this process


def act(action: str, by: str | None = None, /, **data: Any) -> Any:
    """``action`` called by the user ``by`` (the site user when None)."""
    from ckan.plugins import toolkit as tk

    context = {"user": by, "ignore_auth": False} if by else site_context()
    return tk.get_action(action)(context, data)


def new_user(prefix: str, sysadmin: bool = False) -> str:
    from ckan import model

    name = f"scale-{prefix}-{next(_users)}"
    act("user_create", name=name, email=f"{name}@example.org", password=PASSWORD)
    if sysadmin:
        user = model.User.by_name(name)
        user.sysadmin = True
        model.repo.commit()
    return name


def token(user: str) -> str:
    return act("api_token_create", user, user=user, name="scale-out")["token"]


class Committee:
    """The personas of the races and their API tokens."""

    def __init__(self) -> None:
        self.sysadmin = new_user("admin", sysadmin=True)
        self.steward = new_user("steward")
        self.president = new_user("president")
        self.member = new_user("member")
        self.org = act(
            "organization_create",
            name="scale-out-direction",
            title="Direction de la montée en charge",
            users=[{"name": self.steward, "capacity": "editor"}],
        )
        act(
            "cdm_member_create",
            self.sysadmin,
            user=self.president,
            college="civil_society",
            role="president",
            **MANDATE,
        )
        act("cdm_member_create", self.sysadmin, user=self.member, college="research", **MANDATE)
        self.charter = act("cdm_charter_show", self.sysadmin)
        self.tokens = {u: token(u) for u in (self.sysadmin, self.steward, self.president)}

    def assessed_dataset(self, n: int) -> dict[str, Any]:
        """A new dataset of the steward, its self-assessment complete."""
        pkg = act(
            "package_create",
            self.steward,
            name=f"scale-out-{n:04d}",
            title=f"Jeu de la montée en charge {n}",
            owner_org=self.org["id"],
            personal_data="none",
            purpose="Vérifier la montée en charge.",
            algorithmic_use="no",
            data_controller="Métropole",
            retention_period="1 an",
        )
        answers = {
            q["code"]: {"status": "yes", "justification": f"Justification de {q['code']}."}
            for p in self.charter["principles"]
            for q in p["questions"]
        }
        act("cdm_self_assessment_save", self.steward, id=pkg["id"], answers=answers)
        return pkg

    def draft_in_session(self, n: int) -> tuple[dict[str, Any], str]:
        """A review in examination, its draft opinion, and a session held
        yesterday with it on the agenda, the president and the member present."""
        from ckan import model

        from ckanext.cdm.model.session import AgendaItem, Attendance, CommitteeSession

        pkg = self.assessed_dataset(n)
        review = act("cdm_review_submit", self.steward, id=pkg["id"])
        act("cdm_review_assign", self.president, id=review["id"], rapporteur=self.member)
        assessments = {
            p["code"]: {"status": "compliant", "comment": "Vu."} for p in self.charter["principles"]
        }
        opinion = act(
            "cdm_opinion_create",
            self.member,
            review=review["id"],
            verdict="favorable",
            summary="Le jeu de données respecte la Charte.",
            assessments=assessments,
        )
        session = CommitteeSession(
            starts_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1),
            place="Salle du conseil",
        )
        model.Session.add(session)
        model.Session.flush()
        model.Session.add(AgendaItem(session_id=session.id, review_id=review["id"], position=0))
        for name in (self.president, self.member):
            model.Session.add(Attendance(session_id=session.id, user_id=model.User.get(name).id))
        model.Session.commit()
        return opinion, session.id


# The checks


def database_badges() -> dict[str, set[str]]:
    """The ids of the public active datasets by badge code, from the badge facts."""
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm import badge_facts

    table = model.package_table
    ids = model.Session.execute(
        sa.select(table.c.id).where(
            table.c.state == "active", table.c.private.is_(False), table.c.type == "dataset"
        )
    ).scalars()
    by_code: dict[str, set[str]] = collections.defaultdict(set)
    for package_id, badge in badge_facts.badges_for(list(ids)).items():
        by_code[badge.code].add(package_id)
    return dict(by_code)


def check_badges(nodes: list[str], solr: str, label: str) -> None:
    from ckan.plugins import toolkit as tk

    expected = database_badges()
    counts = {code: len(ids) for code, ids in sorted(expected.items())}
    total = sum(counts.values())
    log(f"badges in the database ({label}): {counts}, {total} datasets")
    for node in nodes:
        facet = search(node, rows=0, **{"facet.field": ["cdm_badge"], "facet.limit": -1})
        got = dict(sorted(facet["facets"].get("cdm_badge", {}).items()))
        verdict(f"facet cdm_badge on {node} ({label})", got == counts, f"{got}")
    wrong = []
    for i, (code, ids) in enumerate(sorted(expected.items())):
        node = nodes[i % len(nodes)]  # each node answers some of the codes
        found = search(node, fq=f"cdm_badge:{code}", rows=1000)["results"]
        if {r["id"] for r in found} != ids:
            wrong.append(f"{code} on {node}: {len(found)} found, {len(ids)} expected")
    verdict(
        f"fq=cdm_badge:<code> ({label})",
        not wrong,
        "; ".join(wrong) or f"the datasets of each of the {len(expected)} codes, exactly",
    )
    site = f"site_id:{tk.config['ckan.site_id']}"
    query = urllib.parse.urlencode(
        {"q": "*:*", "fq": site, "rows": 0, "shards.info": "true", "wt": "json"}
    )
    info = get_json(f"{solr}/select?{query}")
    shards = {
        url.rsplit("/", 2)[-2]: part.get("numFound", 0)
        for url, part in info.get("shards.info", {}).items()
    }
    verdict(
        f"both shards hold documents ({label})",
        len(shards) == 2 and all(shards.values()) and sum(shards.values()) == total,
        f"{shards}, {info['response']['numFound']} in all",
    )
    # each shard's own facet (distrib=false): the collection's is their sum
    summed: collections.Counter[str] = collections.Counter()
    for url in info.get("shards.info", {}):
        params = {"q": "*:*", "fq": site, "rows": 0, "distrib": "false", "facet": "true",
                  "facet.field": "cdm_badge", "facet.limit": -1, "facet.mincount": 1,
                  "wt": "json", "json.nl": "map"}  # fmt: skip
        alone = get_json(f"{url.rstrip('/')}/select?{urllib.parse.urlencode(params)}")
        counts_here = alone["facet_counts"]["facet_fields"]["cdm_badge"]
        log(f"  {url.rsplit('/', 2)[-2]} alone: {dict(sorted(counts_here.items()))}")
        summed.update(counts_here)
    verdict(
        f"the shards' own facets add up to the database's counts ({label})",
        dict(sorted(summed.items())) == counts,
        f"{dict(sorted(summed.items()))}",
    )


def open_reviews(package_id: str) -> int:
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.review import OPEN_STATES, Review

    model.Session.expire_all()
    query = sa.select(sa.func.count()).where(
        Review.package_id == package_id, Review.state.in_(OPEN_STATES)
    )
    return model.Session.execute(query).scalar_one()


def spread(rounds: list[Race], nodes: list[str]) -> str:
    """How many rounds had every request in flight at once, and which nodes
    accepted the requests (by port)."""
    together = sum(r.overlapped for r in rounds)
    won: collections.Counter[str] = collections.Counter()
    for r in rounds:
        for i, outcome in enumerate(r.outcomes):
            if outcome == "ok":
                won[nodes[i % len(nodes)].rsplit(":", 1)[-1]] += 1
    accepted = ", ".join(f":{port} {count}" for port, count in sorted(won.items()))
    return f"in flight together in {together}/{len(rounds)} rounds; accepted by {accepted}"


def raced(rounds: list[Race]) -> bool:
    """Whether the requests of at least one round were in flight together:
    otherwise nothing raced, and the check proves nothing."""
    return any(r.overlapped for r in rounds)


def check_one_open_review(committee: Committee, nodes: list[str]) -> None:
    bad, rounds = [], []
    key = committee.tokens[committee.steward]
    for n in range(ROUNDS):
        pkg = committee.assessed_dataset(100 + n)
        rounds.append(race([(node, "cdm_review_submit", key, {"id": pkg["id"]}) for node in nodes]))
        held = open_reviews(pkg["id"])
        if sorted(rounds[-1].outcomes) != ["ok", "refused"] or held != 1:
            bad.append(f"round {n}: {rounds[-1].outcomes}, {held} open reviews")
    verdict(
        "one open review per dataset",
        not bad and raced(rounds),
        "; ".join(bad)
        or f"{ROUNDS} rounds: one submission accepted, one refused, one open review; "
        + spread(rounds, nodes),
    )


def published_sequences() -> dict[int, list[int]]:
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.opinion import Opinion

    model.Session.expire_all()
    rows = model.Session.execute(
        sa.select(Opinion.year, Opinion.sequence).where(Opinion.number.is_not(None))
    ).all()
    by_year: dict[int, list[int]] = collections.defaultdict(list)
    for year, sequence in rows:
        by_year[year].append(sequence)
    return {year: sorted(seqs) for year, seqs in by_year.items()}


def check_opinion_numbers(committee: Committee, nodes: list[str]) -> None:
    bad, numbers, rounds = [], [], []
    key = committee.tokens[committee.president]
    vote = {"votes_for": 2, "votes_against": 0, "votes_abstain": 0, "votes_not_voting": 0}
    for n in range(ROUNDS):
        ready = [committee.draft_in_session(200 + 2 * n + i) for i in range(2)]
        calls = [
            (node, "cdm_opinion_publish", key, {"id": o["id"], "session": s, **vote})
            for node, (o, s) in zip(nodes, ready, strict=True)
        ]
        rounds.append(race(calls))
        if rounds[-1].outcomes != ["ok", "ok"]:
            bad.append(f"round {n}: {rounds[-1].outcomes}")
        numbers += [
            act("cdm_opinion_show", committee.president, id=o["id"])["number"] for o, _ in ready
        ]
    for year, sequences in published_sequences().items():
        if sequences != list(range(1, len(sequences) + 1)):
            bad.append(f"{year}: numbers {sequences} are not 1..{len(sequences)}")
    verdict(
        "distinct consecutive opinion numbers",
        not bad and len(set(numbers)) == len(numbers) and raced(rounds),
        "; ".join(bad)
        or f"{ROUNDS} rounds, both publications accepted each time: "
        f"{', '.join(sorted(numbers))}; every year numbered 001..N without gap; "
        + spread(rounds, nodes),
    )


def seats_held() -> int:
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model import Member

    model.Session.expire_all()
    query = sa.select(sa.func.count()).where(
        Member.state == "active", Member.college == SEATS_COLLEGE
    )
    return model.Session.execute(query).scalar_one()


def check_seats(committee: Committee, nodes: list[str]) -> None:
    import sqlalchemy as sa
    from ckan import model
    from ckan.plugins import toolkit as tk

    from ckanext.cdm.model import Member

    seats = tk.config[f"ckanext.cdm.seats.{SEATS_COLLEGE}"]
    key = committee.tokens[committee.sysadmin]
    bad, rounds = [], []
    for n in range(ROUNDS):
        model.Session.execute(sa.delete(Member).where(Member.college == SEATS_COLLEGE))
        model.Session.commit()
        for _ in range(seats - 2):
            act(
                "cdm_member_create",
                committee.sysadmin,
                user=new_user("seated"),
                college=SEATS_COLLEGE,
                **MANDATE,
            )
        candidates = [new_user("candidate") for _ in range(4)]
        calls = [
            (
                nodes[i % 2],
                "cdm_member_create",
                key,
                {"user": user, "college": SEATS_COLLEGE, **MANDATE},
            )
            for i, user in enumerate(candidates)
        ]
        rounds.append(race(calls))
        held = seats_held()
        if sorted(rounds[-1].outcomes) != ["ok", "ok", "refused", "refused"] or held != seats:
            bad.append(f"round {n}: {rounds[-1].outcomes}, {held} seats held of {seats}")
    verdict(
        f"seats of a college ({SEATS_COLLEGE}, {seats})",
        not bad and raced(rounds),
        "; ".join(bad)
        or f"{ROUNDS} rounds: 4 appointments for the last 2 seats, "
        f"2 accepted, 2 refused, {seats} seats held; "
        + spread(rounds, nodes),
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect comes back as an HTTPError, with its status


def check_sessions(committee: Committee, nodes: list[str]) -> None:
    """A browser's session and CSRF token made by one node hold on the other:
    the login form taken from node A, posted to node B, and the page of a
    signed-in user asked of node A with the cookie node B set. Cookies name a
    host, not a port: one cookie jar for both nodes, as behind a load balancer."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)

    def fetch(url: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form else None
        try:
            with browser.open(url, data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")

    status, page = fetch(f"{nodes[0]}/user/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    form = {
        "login": committee.steward,
        "password": PASSWORD,
        "_csrf_token": token[1] if token else "",
    }
    login_status, location = fetch(f"{nodes[1]}/user/login", form)
    dashboard_status, dashboard = fetch(f"{nodes[0]}/dashboard/")
    signed_in = dashboard_status == 200 and committee.steward in dashboard
    jar.clear()
    anonymous_status, _ = fetch(f"{nodes[0]}/dashboard/")  # the control: no session, no page
    a, b = (node.rsplit(":", 1)[-1] for node in nodes)
    verdict(
        "sessions and CSRF tokens across nodes",
        status == 200
        and bool(token)
        and login_status == 302
        and signed_in
        and anonymous_status != 200,
        f"login form from :{a} ({status}), posted to :{b} ({login_status} to {location or '?'}), "
        f"dashboard of :{a} with that session: {dashboard_status}"
        f"{', the user named' if signed_in else ''}; without it: {anonymous_status}",
    )


def job_counts() -> tuple[int, int]:
    """(failed, finished) jobs of the site's default queue."""
    from ckan.lib import jobs

    queue = jobs.get_queue()
    return queue.failed_job_registry.count, queue.finished_job_registry.count


def check_jobs(mail_log: str, before: tuple[int, int]) -> None:
    """The one rq worker drains the queue that both nodes fill."""
    from ckan.lib import jobs

    queue = jobs.get_queue()
    deadline = time.monotonic() + 120
    while (queue.count or queue.started_job_registry.count) and time.monotonic() < deadline:
        time.sleep(1)
    failed, finished = (now - then for now, then in zip(job_counts(), before, strict=True))
    with open(mail_log, encoding="utf-8", errors="replace") as mails:
        sent = sum(1 for line in mails if line.startswith("Subject:"))
    verdict(
        "the rq worker ran the jobs of both nodes",
        queue.count == 0 and failed == 0 and finished > 0 and sent > 0,
        f"{queue.count} waiting, {failed} failed, {finished} finished, {sent} e-mails in the sink",
    )


def main(argv: list[str]) -> int:
    if len(argv) != 6:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    ini, nodes, solr, mail_log = argv[1], [argv[2], argv[3]], argv[4], argv[5]
    open_app(ini)
    started, jobs_before = time.monotonic(), job_counts()
    check_badges(nodes, solr, "catalogue as loaded")
    committee = Committee()
    check_sessions(committee, nodes)
    check_one_open_review(committee, nodes)
    check_opinion_numbers(committee, nodes)
    check_seats(committee, nodes)
    check_badges(nodes, solr, "after the races")
    check_jobs(mail_log, jobs_before)
    log(f"checks done in {time.monotonic() - started:.0f}s")
    if failures:
        print(f"FAIL: {len(failures)} check(s) failed: {', '.join(failures)}")
        return 1
    print("OK: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
