"""Schema, as migrations applied at start-up (sqlite-utils `Migrations`)."""

from sqlite_utils.migrations import Migrations

from .util import new_room_code

migrations = Migrations("facilitation")


@migrations()
def m001_boards(db):
    """Workshops, rooms, groups, notes, participants and each room's op log."""
    statements = [
        """CREATE TABLE workshops (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            cities TEXT NOT NULL,            -- JSON list of city names, in the facilitator's order
            facilitator_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE rooms (
            id TEXT PRIMARY KEY,
            workshop_id TEXT NOT NULL REFERENCES workshops(id),
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            theme TEXT NOT NULL,
            template TEXT NOT NULL,
            position INTEGER NOT NULL,
            seq INTEGER NOT NULL DEFAULT 0,  -- last seq in this room's op log
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX rooms_workshop ON rooms(workshop_id, position)",
        """CREATE TABLE note_groups (
            id TEXT PRIMARY KEY,
            room_id TEXT NOT NULL REFERENCES rooms(id),
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX note_groups_room ON note_groups(room_id, position)",
        """CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            workshop_id TEXT NOT NULL REFERENCES workshops(id),
            name TEXT NOT NULL,
            city TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX participants_workshop ON participants(workshop_id)",
        """CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            room_id TEXT NOT NULL REFERENCES rooms(id),
            group_id TEXT NOT NULL REFERENCES note_groups(id),
            text TEXT NOT NULL,
            color TEXT NOT NULL,
            author_id TEXT NOT NULL,
            author TEXT NOT NULL,            -- the author's name and city when the note was written
            city TEXT NOT NULL,
            position INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX notes_room ON notes(room_id)",
        "CREATE INDEX notes_group ON notes(group_id, position)",
        """CREATE TABLE ops (
            room_id TEXT NOT NULL REFERENCES rooms(id),
            seq INTEGER NOT NULL,
            op_id TEXT NOT NULL,
            type TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            event TEXT NOT NULL,             -- JSON of the op as broadcast
            created_at TEXT NOT NULL,
            PRIMARY KEY (room_id, seq)
        )""",
        "CREATE UNIQUE INDEX ops_op_id ON ops(room_id, op_id)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m002_facilitation(db):
    """Room states (lock, hidden notes, voting, timer, closed), the lobby, votes, stored acks."""
    statements = [
        "ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE rooms ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0",
        # NULL: voting is closed.
        "ALTER TABLE rooms ADD COLUMN votes_per_participant INTEGER",
        "ALTER TABLE rooms ADD COLUMN timer_deadline TEXT",
        "ALTER TABLE rooms ADD COLUMN closed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE notes ADD COLUMN votes INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE workshops ADD COLUMN lobby_code TEXT",
        "CREATE UNIQUE INDEX workshops_lobby ON workshops(lobby_code)",
        # The room a participant is assigned to; NULL: the lobby (or never assigned).
        "ALTER TABLE participants ADD COLUMN room_id TEXT REFERENCES rooms(id)",
        """CREATE TABLE votes (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            room_id TEXT NOT NULL REFERENCES rooms(id),
            created_at TEXT NOT NULL,
            PRIMARY KEY (note_id, participant_id)
        )""",
        "CREATE INDEX votes_room ON votes(room_id, participant_id)",
        # One op can log several events in a room (a distribution): op_id is not unique there.
        "DROP INDEX ops_op_id",
        "CREATE INDEX ops_op_id ON ops(room_id, op_id)",
        # The ack of every applied op, by who sent it: a retry answers the first result.
        """CREATE TABLE acks (
            actor_id TEXT NOT NULL,
            op_id TEXT NOT NULL,
            ack TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (actor_id, op_id)
        )""",
    ]
    for statement in statements:
        db.execute(statement)
    for (workshop_id,) in db.execute("SELECT id FROM workshops").fetchall():
        db.execute("UPDATE workshops SET lobby_code = ? WHERE id = ?",
                   [new_room_code(), workshop_id])


@migrations()
def m003_outputs(db):
    """Cities a facilitator tags a note with, and saved snapshots of a workshop's outputs."""
    statements = [
        # A note is for its author's city (notes.city) and for every city tagged here.
        """CREATE TABLE note_tags (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            city TEXT NOT NULL,
            PRIMARY KEY (note_id, city)
        )""",
        # `data` is the workshop export (JSON, format 1) frozen when saved: later edits never
        # change it.
        """CREATE TABLE snapshots (
            id TEXT PRIMARY KEY,
            workshop_id TEXT NOT NULL REFERENCES workshops(id),
            name TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX snapshots_workshop ON snapshots(workshop_id, created_at)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m004_connections(db):
    """Who is connected where, shared by every server process on this database."""
    db.execute("""CREATE TABLE connections (
        sid TEXT PRIMARY KEY,
        instance TEXT NOT NULL,          -- the server process holding the socket
        workshop_id TEXT NOT NULL,
        room_code TEXT,                  -- NULL: the lobby, or a facilitator
        participant_id TEXT NOT NULL,
        name TEXT NOT NULL,
        city TEXT,
        facilitator INTEGER NOT NULL,
        connected_at TEXT NOT NULL
    )""")
    db.execute("CREATE INDEX connections_place ON connections(workshop_id, room_code)")
    db.execute("CREATE INDEX connections_instance ON connections(instance)")


@migrations()
def m005_history(db):
    """Notes keep a lineage across meetings; a workshop may follow an earlier one."""
    statements = [
        # An opaque id shared by a note and all its copies (the next meeting's map, an import):
        # a fresh note starts its own, equal to its id.
        "ALTER TABLE notes ADD COLUMN lineage TEXT",
        "UPDATE notes SET lineage = id WHERE lineage IS NULL",
        "CREATE INDEX notes_lineage ON notes(lineage)",
        # The workshop this one follows (the previous meeting of a series), and the snapshot of
        # that workshop frozen when this one was planned ("Before <title>").
        "ALTER TABLE workshops ADD COLUMN follows TEXT REFERENCES workshops(id)",
        "ALTER TABLE workshops ADD COLUMN follows_snapshot TEXT REFERENCES snapshots(id)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m050_photos(db):
    """Photos on notes (kept in the database: the file stays the one thing to back up), and the
    note each room shows in a spotlight."""
    statements = [
        """CREATE TABLE images (
            id TEXT PRIMARY KEY,             -- 192 random bits: the URL is the secret
            workshop_id TEXT NOT NULL REFERENCES workshops(id),
            uploader_id TEXT NOT NULL,       -- a participant's id, or facilitator:<workshop id>
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            full BLOB NOT NULL,              -- WebP, at most 1600 px on the long side
            thumb BLOB NOT NULL,             -- WebP, at most 400 px
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX images_created ON images(created_at)",
        "ALTER TABLE notes ADD COLUMN image_id TEXT REFERENCES images(id)",
        # alt: the photo's description (NULL: the note has no photo).
        "ALTER TABLE notes ADD COLUMN alt TEXT",
        "CREATE INDEX notes_image ON notes(image_id) WHERE image_id IS NOT NULL",
        "ALTER TABLE rooms ADD COLUMN spotlight_note_id TEXT",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m020_acks_as_seen(db):
    """Stored acks become what their sender saw (issue 15): a retry answers exactly that.

    Acks stored before kept every note whole. Which room hid notes then is not recorded, so a
    participant's old acks lose the text of other people's notes (a retry shows less, never
    more); the facilitator's acks stay whole, as the facilitator sees every note.
    """
    import json

    from .boards import hidden_view

    rows = db.execute("SELECT a.actor_id, a.op_id, a.ack FROM acks a "
                      "JOIN participants p ON p.id = a.actor_id").fetchall()
    for actor_id, op_id, ack in rows:
        seen = json.dumps(hidden_view(json.loads(ack), actor_id), ensure_ascii=False)
        if seen != ack:
            db.execute("UPDATE acks SET ack = ? WHERE actor_id = ? AND op_id = ?",
                       [seen, actor_id, op_id])


@migrations()
def m020_instances(db):
    """Server processes' leases (issue 15): presence rows of a process whose lease ended go."""
    db.execute("""CREATE TABLE instances (
        name TEXT PRIMARY KEY,           -- host:pid:random, one per server process run
        expires_at REAL NOT NULL         -- Unix time; renewed by the process's heartbeat
    )""")
    # Rows named by the old scheme (host:port) have no lease: the first heartbeat clears them.


@migrations()
def m070_workshop_language(db):
    """The workshop's default language: pages speak it when the browser asks for none we have."""
    db.execute("ALTER TABLE workshops ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")


@migrations()
def m060_action_details(db):
    """Action details on notes, and the status each group of an action-table board stands for."""
    # JSON object of the details that are set (lead, partners, outputs, start, end, resources,
    # status); NULL: none.
    db.execute("ALTER TABLE notes ADD COLUMN details TEXT")
    # idea | planned | in-progress | done for the groups of an action-table room; NULL elsewhere.
    db.execute("ALTER TABLE note_groups ADD COLUMN status TEXT")


@migrations()
def m010_several_dots(db):
    """Dot voting: the facilitator may let a person put several dots on one note."""
    statements = [
        # 1: this round lets a person vote more than once for the same note.
        "ALTER TABLE rooms ADD COLUMN votes_several INTEGER NOT NULL DEFAULT 0",
        # One row per dot (no longer one per note and person).
        """CREATE TABLE votes_dots (
            id INTEGER PRIMARY KEY,
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            room_id TEXT NOT NULL REFERENCES rooms(id),
            created_at TEXT NOT NULL
        )""",
        "INSERT INTO votes_dots (note_id, participant_id, room_id, created_at) "
        "SELECT note_id, participant_id, room_id, created_at FROM votes ORDER BY created_at",
        "DROP TABLE votes",
        "ALTER TABLE votes_dots RENAME TO votes",
        "CREATE INDEX votes_note ON votes(note_id)",
        "CREATE INDEX votes_room_person ON votes(room_id, participant_id)",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m020_placed_by(db):
    """Who placed each participant where they are (issue 15): "facilitator" (assign, shuffle, by
    city, call back, pairing), "link" (they opened a room link) or NULL (never placed, or only
    through the lobby). A room link does not override the facilitator's placement (placement.py).
    """
    db.execute("ALTER TABLE participants ADD COLUMN placed_by TEXT")


@migrations()
def m030_acks_from_the_op_log(db):
    """A room op's ack is its logged event (issue 14): no `acks` row for it any more.

    A retry is found by who sent it and its op_id, so the op log is indexed that way; the index
    by room and op_id was never read. Acks that differ from their event (several rooms, a
    workshop op, a room that hides notes) are still kept in `acks`, looked at first.
    """
    db.execute("DROP INDEX IF EXISTS ops_op_id")
    db.execute("CREATE INDEX ops_actor_op ON ops(actor_id, op_id)")


@migrations()
def m040_participant_tokens(db):
    """A returning participant is found by their token through an index (issue 14): a
    reconnect storm of 500 people read every participant of the workshop for each of them."""
    db.execute("CREATE INDEX participants_token ON participants(token)")


@migrations()
def m040_connections_by_person(db):
    """Whether a person is online (placement.placements, for every join and every `placed`) is
    found through the connections of that person, not by reading every connection of every
    live process (issue 14: a join cost more on a fuller board)."""
    db.execute("CREATE INDEX connections_person ON connections(participant_id)")


@migrations()
def m050_note_counts(db):
    """How many notes each room and each group holds, kept by triggers (issue 14).

    Adding a note checked the room's cap and found the new note's place by counting the notes of
    its room and of its group: work that grew with the board (40 µs an op at 500 notes). The
    counts are now read from the room's and the group's row. Triggers keep them, whatever writes
    the notes (ops, imports, deletes of groups and rooms), so no code path can forget one.
    """
    statements = [
        "ALTER TABLE rooms ADD COLUMN note_count INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE note_groups ADD COLUMN note_count INTEGER NOT NULL DEFAULT 0",
        "UPDATE rooms SET note_count = (SELECT count(*) FROM notes WHERE room_id = rooms.id)",
        "UPDATE note_groups SET note_count = "
        "(SELECT count(*) FROM notes WHERE group_id = note_groups.id)",
        """CREATE TRIGGER notes_counted_in AFTER INSERT ON notes BEGIN
            UPDATE rooms SET note_count = note_count + 1 WHERE id = NEW.room_id;
            UPDATE note_groups SET note_count = note_count + 1 WHERE id = NEW.group_id;
        END""",
        """CREATE TRIGGER notes_counted_out AFTER DELETE ON notes BEGIN
            UPDATE rooms SET note_count = note_count - 1 WHERE id = OLD.room_id;
            UPDATE note_groups SET note_count = note_count - 1 WHERE id = OLD.group_id;
        END""",
        """CREATE TRIGGER notes_change_room AFTER UPDATE OF room_id ON notes
            WHEN OLD.room_id IS NOT NEW.room_id BEGIN
            UPDATE rooms SET note_count = note_count - 1 WHERE id = OLD.room_id;
            UPDATE rooms SET note_count = note_count + 1 WHERE id = NEW.room_id;
        END""",
        """CREATE TRIGGER notes_change_group AFTER UPDATE OF group_id ON notes
            WHEN OLD.group_id IS NOT NEW.group_id BEGIN
            UPDATE note_groups SET note_count = note_count - 1 WHERE id = OLD.group_id;
            UPDATE note_groups SET note_count = note_count + 1 WHERE id = NEW.group_id;
        END""",
    ]
    for statement in statements:
        db.execute(statement)
