"""Command line: `flask --app app import PATH`, `backup PATH` and `export ...`."""

import json
import os
import re
import sqlite3
import sys
import tempfile

import click
from flask import current_app, g
from flask.cli import with_appcontext

from .db import get_store
from .errors import Refused
from .exports import (FORMATS, city_slice, download_name, find_workshop, render, to_zip,
                      workshop_data)
from .i18n import LANGUAGES
from .imports import import_export
from .snapshots import get_snapshot
from .workshops import find_room


def init_app(app):
    """Add the import, backup and export commands to `flask`."""
    for command in (import_command, backup_command, export_command):
        app.cli.add_command(command)


def backup_database(source, target):
    """Copy a live SQLite database with the online backup API, consistent even mid-write."""
    if source == ":memory:" or not os.path.isfile(source):
        raise click.ClickException(f"There is no database file at {source}.")
    target = os.path.abspath(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Write beside the target, then rename: a half-written backup never has the final name.
    handle, partial = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".partial")
    os.close(handle)
    try:
        # Our own connection: the backup API copies pages under SQLite's locks while the
        # server keeps writing through its connection.
        src = sqlite3.connect(source)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # One self-contained file: no -wal beside it to forget when restoring.
            dst.execute("PRAGMA journal_mode=DELETE")
            (status,) = dst.execute("PRAGMA quick_check").fetchone()
        finally:
            dst.close()
            src.close()
        if status != "ok":
            raise click.ClickException(f"The backup failed its check: {status}")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return target


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Write a consistent copy of the database to PATH (safe while the server runs)."""
    written = backup_database(current_app.config["FACILITATION_DB"], path)
    click.echo(f"Backup written: {written}")


@click.command("import")
@with_appcontext
@click.argument("path", type=click.File("rb"))
def import_command(path):
    """Create a new workshop from a JSON export (a room's, a city's or a workshop's)."""
    try:
        data = json.loads(path.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise click.ClickException(f"This file is not JSON: {error}") from None
    except RecursionError:
        raise click.ClickException("This file's JSON is nested too deeply to be an export.") \
            from None
    try:
        workshop = import_export(get_store(), data)
    except Refused as refused:
        raise click.ClickException(refused.message) from None
    click.echo(f"Imported: {workshop['title']}")
    click.echo(f"  Facilitator (keep secret): /f/{workshop['facilitator_key']}")
    for room in workshop["rooms"]:
        click.echo(f"  {room['name']} – {room['theme']}: /r/{room['code']}")


# Control characters (but line breaks and tabs), DEL, C1 controls and bidirectional overrides.
TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
                             r"|\r(?!\n)")


def for_terminal(text):
    """Text safe to print on a terminal: control characters shown as \\x1b, \\u202e..."""
    def shown(match):
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return TERMINAL_UNSAFE.sub(shown, text)


def find_by_key_or_id(db, key):
    """The operator has the database anyway: a workshop's id works as well as its key."""
    return find_workshop(db, key) or next(iter(db["workshops"].rows_where(
        "id = ?", [key], limit=1)), None)


def export_data(room_code, key, city, snapshot_id):
    """The export data the options ask for, or a ClickException saying what is wrong."""
    with get_store().read() as db:
        if room_code:
            room = find_room(db, room_code)
            if room is None:
                raise click.ClickException(f"No room has the code {room_code}.")
            return workshop_data(db, db["workshops"].get(room["workshop_id"]), only_room=room)
        if not key:
            raise click.ClickException("Say what to export: --room CODE or --workshop KEY.")
        workshop = find_by_key_or_id(db, key)
        if workshop is None:
            raise click.ClickException("No workshop has this facilitator key or id.")
        data = workshop_data(db, workshop)
    if snapshot_id:
        snapshot = get_snapshot(get_store(), workshop["id"], snapshot_id)
        if snapshot is None:
            raise click.ClickException("This workshop has no snapshot with this id.")
        data = snapshot["data"]
    if city:
        if city not in data["workshop"]["cities"]:
            raise click.ClickException(f"{city} is not a city of this workshop.")
        data = city_slice(data, city)
    return data


@click.command("export")
@with_appcontext
@click.option("--room", "room_code", help="A room's code: export that room.")
@click.option("--workshop", "key", help="A workshop's facilitator key (or id).")
@click.option("--city", help="Only this city's notes (with --workshop).")
@click.option("--snapshot", "snapshot_id", help="A saved snapshot's id (with --workshop).")
@click.option("--format", "fmt", type=click.Choice(FORMATS + ("zip",)), default="json",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (default: standard output).")
@click.option("--lang", type=click.Choice(list(LANGUAGES)), default="en", show_default=True,
              help="Language of the headings and CSV columns (JSON never changes).")
def export_command(room_code, key, city, snapshot_id, fmt, output, lang):
    """Export a room, a city or a whole workshop, as on the web pages."""
    g.language = lang
    data = export_data(room_code, key, city, snapshot_id)
    css_path = os.path.join(current_app.static_folder, "css", "print.css")
    if fmt == "zip":
        if data["kind"] != "workshop":
            raise click.ClickException("A ZIP holds a whole workshop: use --workshop alone.")
        with open(css_path, "rb") as css:
            body = to_zip(data, css.read())
    else:
        body = render(data, fmt, "print.css")
    if not output:
        if sys.stdout.isatty():
            if fmt == "zip":
                raise click.ClickException("A ZIP is not for a terminal: write it to a file "
                                           "with -o FILE.")
            # Notes are anybody's text: on a terminal, escape sequences in them could recolour,
            # retitle or rewrite the operator's screen. Shown escaped; files stay exact.
            body = for_terminal(body.decode("utf-8", "replace")).encode("utf-8")
        click.echo(body, nl=False)  # bytes go to the binary stream as they are
        return
    with open(output, "wb") as out:
        out.write(body)
    if fmt == "html":
        # The page links print.css beside it, so it prints the same as from the server.
        with open(css_path, "rb") as css, open(
                os.path.join(os.path.dirname(os.path.abspath(output)), "print.css"), "wb") as copy:
            copy.write(css.read())
    click.echo(f"Written: {output} ({download_name(data, fmt)})", err=True)
