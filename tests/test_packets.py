"""Socket.IO packets (facilitation/packets.py): the same bytes on the wire as python-socketio's,
built without its walk over the data."""

import json
import uuid

from socketio import packet

from facilitation.packets import MARK, Packet, RawJSON
from facilitation.realtime import socketio

PEOPLE = [{"id": uuid.uuid4().hex, "name": f"Ana {i} Łódź", "city": "Kraków"} for i in range(300)]
CASES = [
    (packet.ACK, [{"ok": True, "presence": {"room": "R1", "participants": PEOPLE}}], None, 12),
    (packet.EVENT, ["presence", {"room": None, "joined": PEOPLE[:2], "left": []}], "/", None),
    (packet.EVENT, ["op", {"type": "note.add", "note": {"text": "“quotes” & <tags>"}}], "/x", 3),
    (packet.CONNECT, {"sid": "abc"}, "/", None),
    (packet.DISCONNECT, None, "/", None),
    (packet.EVENT, ["photo", {"bytes": [1, b"\x00\xff"]}], "/", None),  # binary: attachments
    (packet.ACK, [b"raw"], "/", 4),
]


def test_packets_are_encoded_exactly_as_python_socketio_encodes_them():
    for packet_type, data, namespace, id_ in CASES:
        ours = Packet(packet_type, data=data, namespace=namespace, id=id_)
        theirs = packet.Packet(packet_type, data=data, namespace=namespace, id=id_)
        assert ours.packet_type == theirs.packet_type
        assert ours.encode() == theirs.encode()


def test_binary_data_still_travels_as_attachments():
    encoded = Packet(packet.EVENT, data=["photo", {"bytes": b"\x01\x02"}]).encode()
    assert isinstance(encoded, list) and encoded[1] == b"\x01\x02"
    decoded = packet.Packet(encoded_packet=encoded[0])
    decoded.add_attachment(encoded[1])
    assert decoded.data == ["photo", {"bytes": b"\x01\x02"}]


def encoded(value):
    return json.dumps(value, separators=(",", ":"))


def test_already_encoded_json_goes_in_as_is_and_reads_back_as_plain_data():
    """A join answer's list, kept encoded by presence.py, makes the same bytes as the list."""
    answer = {"ok": True, "presence": {"room": "R1", "participants": PEOPLE}}
    raw = {"ok": True, "presence": {"room": "R1", "participants": RawJSON(encoded(PEOPLE))}}
    facilitator = [{"ok": True, "presence": [{"room": None, "participants": RawJSON("[]")},
                                             {"room": "R1", "participants": RawJSON(
                                                 encoded(PEOPLE[:3]))}]}]
    for data, plain in [([raw], [answer]), (facilitator, [{"ok": True, "presence": [
            {"room": None, "participants": []}, {"room": "R1", "participants": PEOPLE[:3]}]}])]:
        ours = Packet(packet.ACK, data=data, namespace="/", id=7)
        assert ours.encode() == packet.Packet(packet.ACK, data=plain, namespace="/", id=7).encode()
        assert ours.data == plain  # whoever reads the packet's data sees plain JSON values


def test_text_that_looks_like_the_stand_in_or_bytes_beside_raw_json_take_the_slow_way():
    lookalike = ["op", {"text": f"{MARK}0", "people": RawJSON(encoded(PEOPLE[:2]))}]
    plain = ["op", {"text": f"{MARK}0", "people": PEOPLE[:2]}]
    assert Packet(packet.EVENT, data=lookalike).encode() == packet.Packet(
        packet.EVENT, data=plain).encode()
    with_bytes = Packet(packet.EVENT, data=["photo", {"bytes": b"\x01", "people": RawJSON("[]")}])
    assert with_bytes.encode() == packet.Packet(
        packet.EVENT, data=["photo", {"bytes": b"\x01", "people": []}]).encode()


def test_the_server_sends_its_acks_and_broadcasts_through_it(app, join):
    assert socketio.server.packet_class is Packet
    ana = join(0, "Ana", "Milan")
    assert ana.joined["presence"]["participants"][0]["name"] == "Ana"
