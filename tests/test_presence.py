"""Presence: it belongs to a server process, with a lease, and commands leave it be (issue 15,
finding 8); its changes are announced as coalesced deltas per place (issue 14)."""

import time

import pytest

from facilitation import create_app
from facilitation.actors import Actor
from facilitation.db import Store, get_store
from facilitation.presence import Connection, Presence, by_name
from facilitation.realtime import socketio

from .conftest import Person
from .test_facilitator import Facilitator


def actor(name, workshop, room_id=None):
    return Actor(kind="participant", id=f"p-{name}", name=name, city="Milan",
                 workshop_id=workshop["id"], room_id=room_id)


def test_a_crashed_servers_people_leave_the_lists_when_its_lease_ends(store, workshop):
    clock = [1000.0]
    code = workshop["rooms"][0]["code"]
    crashed = Presence(store, clock=lambda: clock[0])
    crashed.set("sid-ana", Connection(actor("Ana", workshop), code))
    clock[0] += 5  # a new process starts; the old one never beats again (kill -9)
    fresh = Presence(store, clock=lambda: clock[0])
    fresh.set("sid-bob", Connection(actor("Bob", workshop), code))
    assert [p["name"] for p in fresh.participants(workshop["id"], code)] == ["Ana", "Bob"]
    clock[0] += fresh.lease + 1
    fresh.heartbeat()
    assert [p["name"] for p in fresh.participants(workshop["id"], code)] == ["Bob"]
    with store.read() as db:  # and its rows are gone, not just hidden
        assert [r["name"] for r in db["connections"].rows] == ["Bob"]


def test_distribution_never_assigns_a_dead_servers_lobby_ghosts(connect, store, workshop):
    long_ago = Presence(store, instance="crashed", clock=lambda: time.time() - 3600)
    long_ago.set("sid-ghost", Connection(actor("Ghost", workshop), None))
    lobby = connect()
    assert lobby.emit("join", {"lobby": workshop["lobby_code"], "name": "Live", "city": "Milan"},
                      callback=True)["ok"]
    fac = Facilitator(connect(), workshop["facilitator_key"])
    waiting = [p for p in fac.joined["presence"] if p["room"] is None][0]["participants"]
    assert [p["name"] for p in waiting] == ["Live"]
    answer = fac.op("participants.distribute", mode="random")
    assert answer["ok"] and len(answer["assignments"]) == 1


def test_a_command_run_beside_the_server_leaves_its_presence_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("PORT", "5000")  # as the server's unit sets it
    config = {"TESTING": True, "FACILITATION_DB": str(tmp_path / "p.sqlite"),
              "SOCKETIO_ASYNC_MODE": "threading"}
    server = create_app(config)
    from facilitation.workshops import create_workshop

    workshop = create_workshop(get_store(server), {
        "title": "T", "cities": ["Milan"], "rooms": [{"name": "R", "theme": "T"}]})
    code = workshop["rooms"][0]["code"]
    ana = Person(socketio.test_client(server), code, "Ana", "Milan")
    command = create_app(config)  # what every `flask ...` command does first
    result = command.test_cli_runner().invoke(args=["export", "--room", code])
    assert result.exit_code == 0, result.output
    presence = server.extensions["facilitation.presence"]
    assert [p["name"] for p in presence.participants(workshop["id"], code)] == ["Ana"]
    ana.sock.disconnect()
    get_store(command).close()
    get_store(server).close()


def test_the_console_does_not_show_a_dead_servers_people_online(store, workshop):
    from facilitation.participants import join_lobby
    from facilitation.placement import placements

    _, ghost, _, _ = join_lobby(store, {"lobby": workshop["lobby_code"], "name": "Ghost",
                                        "city": "Milan"})
    long_ago = Presence(store, instance="crashed", clock=lambda: time.time() - 3600)
    ghost_actor = Actor(kind="participant", id=ghost["id"], name="Ghost", city="Milan",
                        workshop_id=workshop["id"])
    long_ago.set("sid-ghost", Connection(ghost_actor, None))
    with store.read() as db:
        [shown] = placements(db, workshop["id"])
    assert shown["name"] == "Ghost" and shown["online"] is False


def test_a_crashed_servers_people_are_announced_as_gone_once(store, workshop):
    clock = [1000.0]
    code = workshop["rooms"][0]["code"]
    place = (workshop["id"], code)
    crashed = Presence(store, instance="crashed", clock=lambda: clock[0])
    crashed.set("sid-ana", Connection(actor("Ana", workshop), code))
    crashed.set("sid-cy", Connection(actor("Cy", workshop), code))
    clock[0] += 5  # the crashed process never beats again; two live ones share the database
    fresh, other = (Presence(store, instance=name, clock=lambda: clock[0])
                    for name in ("fresh", "other"))
    told = {"fresh": [], "other": []}
    fresh.notify, other.notify = told["fresh"].append, told["other"].append
    other.heartbeat()
    fresh.set("sid-bob", Connection(actor("Bob", workshop), code))
    # Cy comes back through the fresh process before the crashed one's lease ends: she stays.
    fresh.set("sid-cy-2", Connection(actor("Cy", workshop), code))
    fresh.take(place)  # Bob's and Cy's arrivals, announced
    clock[0] = 1000.0 + crashed.lease + 1
    other.heartbeat()  # the first live process to beat sweeps the rows and announces
    fresh.heartbeat()
    assert told == {"fresh": [], "other": [place]}
    assert not fresh.changed(place)
    joined, left = other.take(place)
    assert joined == [] and [p["name"] for p in left] == ["Ana"]
    assert [p["name"] for p in fresh.participants(workshop["id"], code)] == ["Bob", "Cy"]


def test_people_of_a_crashed_server_leave_the_lists_of_those_still_there(app, join, store,
                                                                          workshop):
    code = workshop["rooms"][0]["code"]
    crashed = Presence(store, instance="crashed")
    crashed.set("sid-ghost", Connection(actor("Ghost", workshop), code))
    bo = join(0, "Bo", "Nantes")
    assert [p["name"] for p in bo.joined["presence"]["participants"]] == ["Bo", "Ghost"]
    with store.write() as db:  # the crashed process's lease ends
        db.execute("UPDATE instances SET expires_at = 0 WHERE name = 'crashed'")
    app.extensions["facilitation.presence"].heartbeat()
    assert bo.names_here(["Bo"]) == ["Bo"]
    assert [p["name"] for delta in bo.seen_presence for p in delta["left"]] == ["Ghost"]


def test_changes_of_a_place_are_announced_at_most_every_250_ms_each_person_once(store,
                                                                                 workshop):
    code = workshop["rooms"][0]["code"]
    place = (workshop["id"], code)
    tracker = Presence(store)
    tracker.set("ana-1", Connection(actor("Ana", workshop), code))
    assert tracker.schedule(place, now=100.0) == 0.0  # the first change goes at once
    tracker.set("ana-2", Connection(actor("Ana", workshop), code))  # her second tab
    tracker.set("bob-1", Connection(actor("Bob", workshop), code))
    assert tracker.schedule(place, now=100.01) is None  # one announcement is already due
    joined, left = tracker.take(place, now=100.02)
    assert [p["name"] for p in joined] == ["Ana", "Bob"] and left == []
    tracker.remove("ana-1")  # Ana still has a tab open: no change
    assert not tracker.changed(place)
    tracker.remove("ana-2")
    assert tracker.changed(place)
    assert tracker.schedule(place, now=100.12) == pytest.approx(0.15)  # 250 ms after the last
    joined, left = tracker.take(place, now=100.27)
    assert joined == [] and [p["name"] for p in left] == ["Ana"]
    assert tracker.schedule(place, now=101.0) == 0.0


def listed_in_database(store, workshop, code):
    """A place's list as the database has it (every live process's people): what the roster,
    this process's own list, must equal while it is the only process."""
    with store.read() as db:
        rows = db.execute("SELECT DISTINCT participant_id, name, city FROM connections "
                          "WHERE workshop_id = ? AND room_code IS ? AND facilitator = 0",
                          [workshop["id"], code]).fetchall()
    return by_name({"id": pid, "name": name, "city": city} for pid, name, city in rows)


def test_alone_a_join_answer_lists_everyone_from_the_roster_in_order_each_once(
        join, connect, store, workshop):
    """The only server process answers joins from its roster, without reading the connections
    table, and the list is the database's at every step: names in any case, a second tab, people
    leaving and moving between rooms and the lobby."""
    first, second = (room["code"] for room in workshop["rooms"])
    lists_read = []  # the query of a place's list, with its live processes' condition
    store.db.conn.set_trace_callback(
        lambda sql: lists_read.append(sql) if sql.startswith(
            "SELECT DISTINCT participant_id") and "instances" in sql else None)

    def here(answer, code=first):
        listed = answer["presence"]["participants"]
        assert listed == listed_in_database(store, workshop, code)
        return [p["name"].casefold() for p in listed]

    zoe = join(0, "Zoé", "Milan")
    bo = join(0, "bo", "Nantes")
    ana = join(0, "Ana", "Łódź")
    assert here(ana.joined) == ["ana", "bo", "zoé"]
    tab = Person(connect(), first, token=ana.participant["token"])  # Ana's second tab
    assert here(tab.joined) == ["ana", "bo", "zoé"]
    other_ana = join(0, "ana", "Milan")  # the same name but for its case: then by id
    assert here(other_ana.joined) == ["ana", "ana", "bo", "zoé"]
    ana.sock.disconnect()  # her second tab is still there
    moved = bo.sock.emit("join", {"room": second, "token": bo.participant["token"]},
                         callback=True)
    assert here(moved, second) == ["bo"]
    zoe.sock.disconnect()
    cy = join(0, "Cy", "Milan")
    assert here(cy.joined) == ["ana", "ana", "cy"]
    tab.sock.disconnect()
    dee = join(1, "Dee", "Nantes")
    assert here(dee.joined, second) == ["bo", "dee"]
    lobby = connect().emit("join", {"lobby": workshop["lobby_code"], "name": "Eve",
                                    "city": "Milan"}, callback=True)
    assert here(lobby, None) == ["eve"]
    fac = Facilitator(connect(), workshop["facilitator_key"])
    assert {place["room"]: here({"presence": place}, place["room"])
            for place in fac.joined["presence"]} == {
        None: ["eve"], first: ["ana", "cy"], second: ["bo", "dee"]}
    store.db.conn.set_trace_callback(None)
    assert lists_read == []


def test_with_another_live_server_a_join_answer_lists_its_people_too(app, join, store,
                                                                      workshop):
    """Several processes share the database: the list comes from it. Another process starting
    after this one answered joins alone is noticed (its commit changes PRAGMA data_version), and
    so is its lease ending."""
    code = workshop["rooms"][0]["code"]
    bo = join(0, "Bo", "Nantes")
    assert [p["name"] for p in bo.joined["presence"]["participants"]] == ["Bo"]
    elsewhere = Store(store.path)  # another server process's own connection
    other = Presence(elsewhere, instance="other")
    other.set("sid-cy", Connection(actor("Cy", workshop), code))
    dee = join(0, "Dee", "Milan")
    assert [p["name"] for p in dee.joined["presence"]["participants"]] == ["Bo", "Cy", "Dee"]
    with elsewhere.write() as db:  # that process's lease ends
        db.execute("UPDATE instances SET expires_at = 0 WHERE name = 'other'")
    eve = join(0, "Eve", "Milan")
    assert [p["name"] for p in eve.joined["presence"]["participants"]] == ["Bo", "Dee", "Eve"]
    # A Presence sharing this process's connection (data_version does not change) is seen too.
    third = Presence(store, instance="third")
    third.set("sid-fay", Connection(actor("Fay", workshop), code))
    gil = join(0, "Gil", "Milan")
    assert [p["name"] for p in gil.joined["presence"]["participants"]] == [
        "Bo", "Dee", "Eve", "Fay", "Gil"]
    elsewhere.close()


def test_alone_again_as_soon_as_the_other_servers_lease_ends(store, workshop):
    """A process that stops beating commits nothing: the end of its lease is enough for the
    lists to come from this process's roster again, before this process's next heartbeat."""
    clock = [1000.0]
    code = workshop["rooms"][0]["code"]
    elsewhere = Store(store.path)
    other = Presence(elsewhere, instance="other", clock=lambda: clock[0] - 25)
    other.set("sid-cy", Connection(actor("Cy", workshop), code))  # its lease ends at 1005
    here = Presence(store, instance="here", clock=lambda: clock[0])
    here.set("sid-bo", Connection(actor("Bo", workshop), code))  # it beats again at 1010
    lists_read = []
    store.db.conn.set_trace_callback(
        lambda sql: lists_read.append(clock[0]) if sql.startswith(
            "SELECT DISTINCT participant_id") else None)
    assert [p["name"] for p in here.participants(workshop["id"], code)] == ["Bo", "Cy"]
    clock[0] = 1006.0
    assert [p["name"] for p in here.participants(workshop["id"], code)] == ["Bo"]
    store.db.conn.set_trace_callback(None)
    assert lists_read == [1000.0]
    elsewhere.close()
