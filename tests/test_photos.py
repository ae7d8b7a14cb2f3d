"""Photos on notes: uploads judged by content, refusals, who may see a photo, exports, import."""

import base64
import csv
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from facilitation import create_app
from facilitation.db import get_store
from facilitation.photos import sweep

from . import photo_files as files
from .conftest import Person


def count_images(store):
    with store.read() as db:
        return db.execute("SELECT count(*) FROM images").fetchone()[0]


def multipart(data, filename="photo.jpg", mimetype="image/jpeg"):
    """A form body with the file in the field `image` (built in memory: the test client would
    leave a temporary file open for a large one)."""
    boundary, body = encode_multipart({"image": FileStorage(io.BytesIO(data), filename,
                                                            content_type=mimetype)})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(client, code, token, data, filename="photo.jpg", mimetype="image/jpeg"):
    headers = {"X-Participant-Token": token} if token else {}
    return client.post(f"/r/{code}/images", headers=headers,
                       **multipart(data, filename, mimetype))


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture
def ana(join):
    return join(0, "Ana", "Milan")


@pytest.fixture
def room_code(workshop):
    return workshop["rooms"][0]["code"]


def test_an_upload_answers_201_with_urls_and_sizes_and_serves_webp(client, ana, room_code):
    answer = upload(client, room_code, ana.participant["token"], files.big_jpeg((3200, 2400)))
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert set(body) == {"image_id", "url", "thumb_url", "width", "height"}
    assert (body["width"], body["height"]) == (1600, 1200)
    assert len(base64.urlsafe_b64decode(body["image_id"] + "==")) * 8 >= 128
    assert body["url"] == f"/i/{body['image_id']}.webp"
    assert body["thumb_url"] == f"/i/{body['image_id']}-thumb.webp"
    full = client.get(body["url"])
    assert full.status_code == 200
    assert full.headers["Content-Type"] == "image/webp"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    assert full.headers["Cache-Control"] == "private"
    assert opened(full.data).format == "WEBP" and opened(full.data).size == (1600, 1200)
    thumb = client.get(body["thumb_url"])
    assert thumb.headers["Content-Type"] == "image/webp"
    assert opened(thumb.data).size == (400, 300)
    assert client.get(f"/i/{body['image_id']}.png").status_code == 404
    assert client.get("/i/nope.webp").status_code == 404


def test_exif_with_gps_is_stripped(client, ana, room_code):
    original = files.jpeg_with_gps()
    assert opened(original).getexif()  # the fixture does carry EXIF with GPS
    body = upload(client, room_code, ana.participant["token"], original).json
    for url in (body["url"], body["thumb_url"]):
        data = client.get(url).data
        image = opened(data)
        assert not image.getexif()
        assert "exif" not in image.info and "xmp" not in image.info
        assert b"Exif" not in data and b"Test camera" not in data


def test_an_orientation_6_photo_comes_back_upright(client, ana, room_code):
    body = upload(client, room_code, ana.participant["token"], files.sideways_jpeg()).json
    assert (body["width"], body["height"]) == (200, 300)
    image = opened(client.get(body["url"]).data).convert("RGB")
    assert image.size == (200, 300)
    top, bottom = image.getpixel((100, 40)), image.getpixel((100, 260))
    assert top[0] > 150 and top[2] < 100, top  # red on top
    assert bottom[2] > 150 and bottom[0] < 100, bottom  # blue below


@pytest.mark.parametrize("data, filename, mimetype", [
    (files.png(), "holiday.jpg", "image/jpeg"),  # a PNG renamed .jpg: judged by content
    (files.gif(), "anim.gif", "image/gif"),
    (files.png(), "no-type", "application/octet-stream"),
])
def test_accepted_by_content_not_by_name_or_type(client, ana, room_code, data, filename,
                                                 mimetype):
    answer = upload(client, room_code, ana.participant["token"], data, filename, mimetype)
    assert answer.status_code == 201, answer.json
    assert opened(client.get(answer.json["url"]).data).format == "WEBP"


@pytest.mark.parametrize("make, filename, status, words", [
    (lambda: b"Dear diary,\nnot a photo at all.\n", "notes.png", 400, "not a photo"),
    (files.truncated_jpeg, "cut.jpg", 400, "damaged"),
    (lambda: b"\xff\xd8\xff" + bytes(20 * 1024 * 1024), "huge.jpg", 413, "over 10 MB"),
    (files.huge_png, "bomb.png", 400, "too large (100 megapixels"),
])
def test_refusals_are_readable_and_store_nothing(client, store, ana, room_code, make, filename,
                                                 status, words):
    answer = upload(client, room_code, ana.participant["token"], make(), filename, "image/png")
    assert answer.status_code == status
    assert words in answer.json["error"], answer.json
    assert count_images(store) == 0


def test_a_missing_file_is_refused(client, store, ana, room_code):
    answer = client.post(f"/r/{room_code}/images",
                         headers={"X-Participant-Token": ana.participant["token"]},
                         data={"other": "x"})
    assert answer.status_code == 400 and "image" in answer.json["error"]
    assert count_images(store) == 0


def test_only_a_participant_of_the_room_can_upload(client, store, join, workshop, room_code):
    other_room = join(1, "Cy", "Łódź")
    answer = upload(client, room_code, other_room.participant["token"], files.png())
    assert answer.status_code == 403 and "room you joined" in answer.json["error"]
    assert upload(client, room_code, None, files.png()).status_code == 403
    assert upload(client, room_code, "made-up", files.png()).status_code == 403
    assert upload(client, "no-such-room", other_room.participant["token"],
                  files.png()).status_code == 404
    assert count_images(store) == 0
    # In its own room the same token works.
    assert upload(client, workshop["rooms"][1]["code"], other_room.participant["token"],
                  files.png()).status_code == 201


def test_the_facilitator_uploads_with_the_key(client, store, workshop):
    key = workshop["facilitator_key"]
    answer = client.post(f"/f/{key}/images", data={"image": (io.BytesIO(files.png()), "a.png")})
    assert answer.status_code == 201
    wrong = client.post("/f/wrong/images", data={"image": (io.BytesIO(files.png()), "a.png")})
    assert wrong.status_code == 403
    assert count_images(store) == 1


def test_uploads_are_rate_limited_per_participant(tmp_path, workshop):
    app = create_app({"TESTING": True, "FACILITATION_DB": str(tmp_path / "r.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading",
                      "FACILITATION_LIMITS": {"uploads_burst": 2, "uploads_per_minute": 1}})
    from facilitation.participants import join
    from facilitation.workshops import create_workshop
    store = get_store(app)
    try:
        created = create_workshop(store, {"title": "T", "cities": ["Milan"],
                                          "rooms": [{"name": "R", "theme": "T"}]})
        code = created["rooms"][0]["code"]
        _, one, _ = join(store, {"room": code, "name": "Ana", "city": "Milan"})
        _, two, _ = join(store, {"room": code, "name": "Bo", "city": "Milan"})
        client = app.test_client()
        answers = [upload(client, code, one["token"], files.png()).status_code for _ in range(3)]
        assert answers == [201, 201, 429]
        refused = upload(client, code, one["token"], files.png())
        assert "too fast" in refused.json["error"]
        assert upload(client, code, two["token"], files.png()).status_code == 201
        assert count_images(store) == 3
    finally:
        store.close()


def test_a_note_takes_a_photo_and_its_description_and_loses_it_with_null(client, ana, join,
                                                                          room_code):
    image_id = upload(client, room_code, ana.participant["token"], files.png()).json["image_id"]
    bo = join(0, "Bo", "Nantes")
    added = ana.op("note.add", text="Our harbour", image_id=image_id, alt="Cranes at dusk")
    assert added["ok"], added
    assert (added["note"]["image_id"], added["note"]["alt"]) == (image_id, "Cranes at dusk")
    seen = [e for e in bo.received() if e["type"] == "note.add"][-1]
    assert seen["note"]["image_id"] == image_id
    described = ana.op("note.update", note_id=added["note"]["id"], alt="Harbour cranes")
    assert described["note"]["alt"] == "Harbour cranes"
    assert described["note"]["image_id"] == image_id
    too_long = ana.op("note.update", note_id=added["note"]["id"], alt="x" * 301)
    assert too_long["code"] == "invalid" and "300" in too_long["error"]
    removed = ana.op("note.update", note_id=added["note"]["id"], image_id=None)
    assert removed["ok"] and removed["note"]["image_id"] is None and removed["note"]["alt"] is None
    # Someone else's photo, or one that does not exist, cannot go on a note.
    stolen = bo.op("note.add", text="Mine now", image_id=image_id)
    assert stolen["code"] == "not_found" and "not available" in stolen["error"]
    assert bo.op("note.add", text="x", image_id="nope")["code"] == "not_found"
    plain = ana.op("note.add", text="No photo")
    assert ana.op("note.update", note_id=plain["note"]["id"], alt="?")["code"] == "invalid"


def test_a_hidden_rooms_photo_is_for_its_author_and_the_facilitator_until_the_reveal(
        client, connect, ana, join, workshop, room_code):
    key = workshop["facilitator_key"]
    facilitator = connect()
    facilitator.emit("join", {"facilitator_key": key}, callback=True)
    assert facilitator.emit("op", {"type": "room.hide", "op_id": "h", "room": room_code},
                            callback=True)["ok"]
    bo = join(0, "Bo", "Nantes")
    body = upload(client, room_code, ana.participant["token"], files.png()).json
    note = ana.op("note.add", text="Private", image_id=body["image_id"], alt="Secret")["note"]
    # Nothing Bo receives names the photo: broadcast, sync, a fresh join.
    assert body["image_id"] not in json.dumps(bo.received())
    synced = bo.sock.emit("sync", {"since": 0}, callback=True)
    assert body["image_id"] not in json.dumps(synced)
    again = Person(connect(), room_code, token=bo.participant["token"])
    assert body["image_id"] not in json.dumps(again.joined)
    assert ana.op("note.update", note_id=note["id"], alt="Still secret")["ok"]
    assert body["image_id"] not in json.dumps(bo.received())
    for url in (body["url"], body["thumb_url"]):
        assert client.get(url).status_code == 404
        assert client.get(url, query_string={"token": bo.participant["token"]}).status_code == 404
        assert client.get(url, headers={"X-Participant-Token": bo.participant["token"]}
                          ).status_code == 404
        assert client.get(url, query_string={"token": ana.participant["token"]}).status_code == 200
        assert client.get(url, headers={"X-Facilitator-Key": key}).status_code == 200
        assert client.get(url, query_string={"key": key}).status_code == 200
    reveal = facilitator.emit("op", {"type": "room.reveal", "op_id": "r", "room": room_code},
                              callback=True)
    assert reveal["ok"]
    assert body["image_id"] in json.dumps([e for e in bo.received() if e["type"] == "room.reveal"])
    assert client.get(body["url"], query_string={"token": bo.participant["token"]}
                      ).status_code == 200
    assert client.get(body["url"]).status_code == 200


def test_unused_photos_are_deleted_after_a_day(client, store, ana, room_code):
    used = upload(client, room_code, ana.participant["token"], files.png()).json["image_id"]
    unused = upload(client, room_code, ana.participant["token"], files.gif()).json["image_id"]
    ana.op("note.add", text="Kept", image_id=used)
    with store.write() as db:
        assert sweep(db, datetime.now(timezone.utc) + timedelta(hours=23)) == 0
        assert sweep(db, datetime.now(timezone.utc) + timedelta(hours=25)) == 1
        left = [row[0] for row in db.execute("SELECT id FROM images")]
    assert left == [used]
    assert client.get(f"/i/{unused}.webp").status_code == 404
    assert client.get(f"/i/{used}.webp").status_code == 200


@pytest.fixture
def photo_note(client, ana, room_code):
    body = upload(client, room_code, ana.participant["token"], files.jpeg_with_gps()).json
    note = ana.op("note.add", text="Our square", image_id=body["image_id"], alt="A square")
    assert note["ok"]
    return {"image": client.get(body["url"]).data, **body}


def test_exports_carry_the_photo(client, workshop, photo_note, room_code):
    key = workshop["facilitator_key"]
    data = client.get(f"/f/{key}/export.json").json
    note = data["rooms"][0]["groups"][0]["notes"][0]
    assert note["image"] == {"type": "image/webp", "alt": "A square",
                             "data": base64.b64encode(photo_note["image"]).decode()}
    page = client.get(f"/r/{room_code}/export.html").get_data(as_text=True)
    assert 'src="data:image/webp;base64,' in page and 'alt="A square"' in page
    city = client.get(f"/f/{key}/cities/Milan").get_data(as_text=True)
    assert 'src="data:image/webp;base64,' in city and 'alt="A square"' in city
    rows = list(csv.DictReader(io.StringIO(client.get(f"/r/{room_code}/export.csv")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["Photo"].startswith("images/") and rows[0]["Photo"].endswith(".webp")
    assert rows[0]["Photo description"] == "A square"
    markdown = client.get(f"/r/{room_code}/export.md").get_data(as_text=True)
    assert f"![A square]({rows[0]['Photo']})" in markdown
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/f/{key}/export.zip").data))
    names = archive.namelist()
    top = names[0].split("/")[0]
    assert archive.read(f"{top}/{rows[0]['Photo']}") == photo_note["image"]
    room_page = next(n for n in names if n.startswith(f"{top}/rooms/01") and n.endswith(".html"))
    assert f'src="../{rows[0]["Photo"]}"' in archive.read(room_page).decode()
    assert f'src="{rows[0]["Photo"]}"' in archive.read(f"{top}/workshop.html").decode()
    assert f"](../{rows[0]['Photo']})" in archive.read(room_page[:-4] + "md").decode()


def test_a_json_round_trip_keeps_photos_byte_for_byte(client, tmp_path, workshop, photo_note):
    exported = client.get(f"/f/{workshop['facilitator_key']}/export.json").json
    fresh = create_app({"TESTING": True, "FACILITATION_DB": str(tmp_path / "fresh.sqlite"),
                        "SOCKETIO_ASYNC_MODE": "threading"})
    try:
        other = fresh.test_client()
        created = other.post("/api/import", json=exported)
        assert created.status_code == 201, created.json
        again = other.get(f"/f/{created.json['facilitator_key']}/export.json").json
        strip = lambda d: {k: v for k, v in d.items() if k != "exported_at"}  # noqa: E731
        assert strip(again) == strip(exported)
        note = again["rooms"][0]["groups"][0]["notes"][0]
        assert base64.b64decode(note["image"]["data"]) == photo_note["image"]
        # The imported photo is served again, with a thumbnail made from it.
        with get_store(fresh).read() as db:
            (image_id,) = db.execute("SELECT image_id FROM notes WHERE image_id IS NOT NULL"
                                     ).fetchone()
        assert other.get(f"/i/{image_id}.webp").data == photo_note["image"]
        assert opened(other.get(f"/i/{image_id}-thumb.webp").data).size[0] <= 400
    finally:
        get_store(fresh).close()


@pytest.mark.parametrize("image, words", [
    ({"type": "image/png", "data": "AAAA"}, "image/webp"),
    ({"type": "image/webp", "data": "not base64!"}, "base64"),
    ({"type": "image/webp", "data": base64.b64encode(b"plain text").decode()}, "not a photo"),
    ({"type": "image/webp", "data": base64.b64encode(files.png()).decode()}, "must be WebP"),
])
def test_an_import_with_a_bad_photo_is_refused_and_creates_nothing(client, store, image, words):
    export = {"format": 1, "kind": "room", "workshop": {"title": "T", "cities": ["Milan"]},
              "rooms": [{"name": "R", "theme": "T", "groups": [{"name": "G", "notes": [
                  {"text": "x", "author": "Ana", "city": "Milan", "image": image}]}]}]}
    answer = client.post("/api/import", json=export)
    assert answer.status_code == 400 and words in answer.json["error"], answer.json
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM workshops").fetchone()[0] == 0


def test_saved_outputs_on_disk_hold_the_photos_their_markdown_names(tmp_path):
    app = create_app({"TESTING": True, "FACILITATION_DB": str(tmp_path / "o.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading",
                      "FACILITATION_OUTPUTS_DIR": str(tmp_path / "outputs")})
    from facilitation.participants import join
    from facilitation.workshops import create_workshop
    from .test_exports import act
    store = get_store(app)
    try:
        created = create_workshop(store, {"title": "Kick-off", "cities": ["Milan"],
                                          "rooms": [{"name": "R", "theme": "T"}]})
        code = created["rooms"][0]["code"]
        actor, person, _ = join(store, {"room": code, "name": "Ana", "city": "Milan"})
        client = app.test_client()
        body = upload(client, code, person["token"], files.png()).json
        act(store, actor, "note.add", text="Our square", image_id=body["image_id"], alt="Sq")
        assert client.post(f"/f/{created['facilitator_key']}/snapshots",
                           data={"name": "Day 1"}).status_code == 303
        folder = tmp_path / "outputs" / "Kick-off" / "Milan"
        markdown = next(folder.glob("*.md")).read_text()
        name = markdown.split("](", 1)[1].split(")", 1)[0]
        assert (folder / name).read_bytes() == client.get(body["url"]).data
    finally:
        store.close()


def test_the_next_meeting_copies_a_map_with_a_photo_note_without_its_photo(client, join,
                                                                           store):
    from facilitation.workshops import create_workshop
    created = create_workshop(store, {"title": "Kick-off", "cities": ["Milan"], "rooms": [
        {"name": "Map", "theme": "Stakeholders", "template": "stakeholder-map"}]})
    code = created["rooms"][0]["code"]
    from .conftest import Person
    from facilitation.realtime import socketio
    person = Person(socketio.test_client(client.application, flask_test_client=client), code)
    image_id = upload(client, code, person.participant["token"], files.png()).json["image_id"]
    assert person.op("note.add", text="Food council", image_id=image_id, alt="Logo")["ok"]
    answer = client.post(f"/f/{created['facilitator_key']}/next", json={"title": "Meeting 2"})
    assert answer.status_code == 201, answer.json
    person.sock.disconnect()
    again = client.get(f"/f/{answer.json['facilitator_key']}/export.json").json
    (note,) = [n for g in again["rooms"][0]["groups"] for n in g["notes"]]
    assert note["text"] == "Food council" and "image" not in note
