"""``ckan cdm …`` commands: demo data, charter and committee administration.

Every command goes through the action API as the site user, so the same
validation and audit trail apply as on the web pages.
"""

from __future__ import annotations

import json
from typing import Any

import click
import yaml
from ckan.plugins import toolkit as tk

from ckanext.cdm.data import read_charter
from ckanext.cdm.demo.loader import DemoRefused, load_demo
from ckanext.cdm.model import base

__all__ = ["cdm"]


def _call(action: str, **data: Any) -> Any:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        return tk.get_action(action)({"user": site_user["name"]}, data)
    except tk.ValidationError as error:
        raise click.ClickException(_format_errors(error.error_dict)) from None
    except tk.ObjectNotFound as error:
        raise click.ClickException(str(error) or "not found") from None


def _format_errors(errors: dict[str, Any]) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in errors.items())


@click.group(short_help="Comité métropolitain de la donnée: charter, committee, demo.")
def cdm() -> None:
    """ckanext-cdm commands."""


@cdm.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Load the fictional demo catalogue (idempotent), on a demo portal only.

    Runs only where ckanext.cdm.demo is true, and never changes an account
    it did not create.
    """
    try:
        # a request context, as CKAN's own commands do: the e-mails of the
        # demo's reviews are written in their recipients' languages
        with ctx.meta["flask_app"].test_request_context():
            report = load_demo()
    except DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    if report.created:
        done = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items()))
        click.secho(f"Demo catalogue: created {done}.", fg="green")
    else:
        click.secho("Demo catalogue already loaded: nothing to do.", fg="green")
    click.echo("Demo logins (user name / password):")
    for name, password, what in report.logins:
        click.echo(f"  {name:<26} {password:<18} {what}")


# Charter


@cdm.group()
def charter() -> None:
    """Versions of the Charte métropolitaine de la donnée."""


@charter.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--number", help="Version number to give the draft (default: the file's).")
def charter_load(path: str | None, number: str | None) -> None:
    """Load a charter file as a draft (default: the shipped draft).

    PATH is a YAML file like the shipped draft, or the JSON of a version
    downloaded from a portal's /cdm/charter/<number>.json.
    """
    try:
        data = read_charter(path)
    except (ValueError, yaml.YAMLError) as error:  # json.JSONDecodeError is a ValueError
        raise click.ClickException(f"{path}: not a charter file ({error})") from None
    if number:
        data["number"] = number
    try:
        existing = tk.get_action("cdm_charter_show")({"ignore_auth": True}, {"id": data["number"]})
    except (tk.ObjectNotFound, tk.ValidationError):  # a malformed number is refused below
        existing = None
    if existing:
        click.echo(
            f"Charter {data['number']} already exists ({existing['status']}): left as it is."
        )
        return
    created = _call("cdm_charter_create", **data)
    click.secho(
        f"Charter {created['number']} loaded as a draft with "
        f"{len(created['principles'])} principles.",
        fg="green",
    )


@charter.command("adopt")
@click.argument("number")
@click.option("--reference", required=True, help="Reference of the deciding act.")
@click.option("--date", "adopted_on", help="Date of adoption (YYYY-MM-DD), default today.")
def charter_adopt(number: str, reference: str, adopted_on: str | None) -> None:
    """Adopt a draft; the adopted version becomes superseded."""
    data = {"id": number, "decision_reference": reference}
    if adopted_on:
        data["adopted_on"] = adopted_on
    adopted = _call("cdm_charter_adopt", **data)
    click.secho(f"Charter {adopted['number']} adopted on {adopted['adopted_on']}.", fg="green")


@charter.command("show")
@click.argument("number", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the whole version as JSON.")
def charter_show(number: str | None, as_json: bool) -> None:
    """Show a version (default: the adopted one); without a number, list them all."""
    if as_json:
        click.echo(json.dumps(_call("cdm_charter_show", id=number), ensure_ascii=False, indent=2))
        return
    for version in _call("cdm_charter_list"):
        if number and version["number"] != number:
            continue
        click.echo(
            f"{version['number']:<8} {version['status']:<11} "
            f"{version['adopted_on'] or '':<11} {version['title']['fr']} "
            f"({version['principle_count']} principles)"
        )


# Committee


@cdm.group()
def member() -> None:
    """Seats of the committee."""


@member.command("add")
@click.argument("user")
@click.option(
    "--college",
    required=True,
    type=click.Choice(["research", "civil_society", "business", "local_authorities"]),
)
@click.option("--role", default="member", type=click.Choice(["member", "president"]))
# today as the rules see it (the model's clock, UTC)
@click.option("--start", "mandate_start", default=lambda: base.today().isoformat())
@click.option("--end", "mandate_end")
@click.option("--affiliation")
def member_add(user: str, **options: Any) -> None:
    """Give USER a seat in a college."""
    data = {k: v for k, v in options.items() if v is not None}
    seat = _call("cdm_member_create", user=user, **data)
    click.secho(
        f"{seat['user_name']} sits in {seat['college']} as {seat['role']} (seat {seat['id']}).",
        fg="green",
    )


@member.command("end")
@click.argument("seat_or_user")
@click.option("--reason")
@click.option("--date", "ended_on")
def member_end(seat_or_user: str, reason: str | None, ended_on: str | None) -> None:
    """End the mandate of a seat (by seat id or user name)."""
    seats = _call("cdm_member_list")
    seat = next((s for s in seats if seat_or_user in (s["id"], s["user_name"], s["user_id"])), None)
    if seat is None:
        raise click.ClickException(f"No current seat for {seat_or_user}.")
    data = {"id": seat["id"]}
    if reason:
        data["reason"] = reason
    if ended_on:
        data["ended_on"] = ended_on
    ended = _call("cdm_member_delete", **data)
    click.secho(f"Mandate of {ended['user_name']} ended on {ended['ended_on']}.", fg="green")


@member.command("list")
@click.option("--all", "include_ended", is_flag=True, help="Include ended mandates.")
def member_list(include_ended: bool) -> None:
    """List the seats by college."""
    for seat in _call("cdm_member_list", include_ended=include_ended):
        click.echo(
            f"{seat['college']:<18} {seat['role']:<10} {seat['user_name']:<24} "
            f"{seat['mandate_start']} → {seat['mandate_end'] or '…'}"
            f"{'  (ended ' + seat['ended_on'] + ')' if seat['ended_on'] else ''}"
        )


# Permission labels


@cdm.group()
def labels() -> None:
    """The permission labels stored on reviews (who sees them)."""


@labels.command("refresh")
def labels_refresh() -> None:
    """Store every reviewed dataset's labels on its reviews and reindex it."""
    from ckanext.cdm.index import refresh_all

    click.secho(f"Labels refreshed on the reviews of {refresh_all()} datasets.", fg="green")


# Badges


@cdm.group()
def badges() -> None:
    """The datasets' badges in the search index."""


@badges.command("refresh")
@click.option("--all", "everything", is_flag=True, help="Reindex every dataset, changed or not.")
def badges_refresh(everything: bool) -> None:
    """Recompute every dataset's badge and reindex those whose summary
    changed, code or reason (run it nightly: an opinion goes stale with age)."""
    from ckanext.cdm.badge_refresh import refresh

    total, reindexed = refresh(everything)
    click.secho(f"Badges of {total} datasets checked, {reindexed} reindexed.", fg="green")


# Notifications


@cdm.group()
def notifications() -> None:
    """The committee's e-mails."""


@notifications.command("digest")
@click.pass_context
def notifications_digest(ctx: click.Context) -> None:
    """Send the daily digests: to each committee member who chose it, the
    e-mails kept since the last one, in one e-mail (run it daily from cron;
    a second run sends nothing again)."""
    with ctx.meta["flask_app"].test_request_context():
        sent = _call("cdm_notification_digest_send")
    click.secho(f"Digests sent: {sent['recipients']} ({sent['items']} notifications).", fg="green")


# Annual report


@cdm.command("report")
@click.option("--year", required=True, help="The year of the report, e.g. 2025.")
@click.option("--format", "format_", default="json", type=click.Choice(["json", "csv", "html"]))
@click.option(
    "--scope",
    default="public",
    type=click.Choice(["public", "committee"]),
    help="public: the published figures (frozen once the report is published); "
    "committee: live figures counting private datasets too.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True))
@click.pass_context
def report(ctx: click.Context, year: str, format_: str, scope: str, output: str | None) -> None:
    """The annual report of a year: its text and figures as JSON, CSV or HTML."""
    from ckanext.cdm import report_export

    with ctx.meta["flask_app"].test_request_context():
        result = _call("cdm_report_show", year=year, scope=scope)
        if format_ == "csv":
            text = report_export.as_csv(result["figures"])
        elif format_ == "html":
            text = report_export.as_html(result, tk.h.lang() or "fr")
        else:
            text = report_export.as_json(result) + "\n"
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as file:
                file.write(text)
        except OSError as error:
            raise click.ClickException(f"Cannot write {output}: {error.strerror}") from None
        click.secho(f"Report {result['year']} ({scope}) written to {output}.", fg="green")
    else:
        click.echo(text, nl=False)
