"""Socket.IO packets as python-socketio builds them, minus a walk over their data.

Before encoding a packet, python-socketio walks every value of its data to see whether it holds
bytes (sent as binary attachments), building a list and a reduce at every level: for a join
answer that lists 500 people this costs about twice the JSON encoding itself, on every join. Here
the packet is encoded to JSON once, when it is built: if that works, the data holds no bytes and
the text is kept for `encode()`; if JSON refuses it (bytes inside), python-socketio's own check
and encoding run as before. Nothing this server sends is binary today.

A value of the data may be `RawJSON`: text already encoded (a join answer's list of people,
kept encoded by presence.py), which goes into the packet's text as is instead of being encoded
again. Anything reading the packet's `data` sees plain JSON values.
"""

import json
import secrets

from socketio import packet

# Stands in for a RawJSON value while the rest of the data is encoded; random per process, so
# no client's text can look like it (if one ever did, the packet is encoded the slow way).
MARK = f"rawjson-{secrets.token_hex(8)}-"


class RawJSON:
    """JSON text to send as is: encoded the way packets are (compact separators, ASCII only)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return f"RawJSON({self.text!r})"


def plain(value):
    """The data with every RawJSON decoded into plain values."""
    if isinstance(value, RawJSON):
        return json.loads(value.text)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


class Packet(packet.Packet):
    def __init__(self, packet_type=packet.EVENT, data=None, namespace=None, id=None,
                 binary=None, encoded_packet=None):
        self._text = None
        raw = False
        if binary is None and encoded_packet is None and data is not None:
            try:
                self._text, raw = self._encoded(data)
                binary = False
            except TypeError:
                data = plain(data)  # bytes inside: python-socketio's way, on plain values
        super().__init__(packet_type, data, namespace, id, binary, encoded_packet)
        self._raw = raw

    @property
    def data(self):
        if self._raw:
            self._data, self._raw = plain(self._data), False
        return self._data

    @data.setter
    def data(self, value):
        self._data, self._raw = value, False

    def _encoded(self, data):
        """The data's JSON text, and whether it holds RawJSON values (spliced in as is)."""
        raws = []

        def stand_in(value):
            if isinstance(value, RawJSON):
                raws.append(value.text)
                return f"{MARK}{len(raws) - 1}"
            raise TypeError(f"{type(value).__name__} is not JSON serializable")

        text = self.json.dumps(data, separators=(",", ":"), default=stand_in)
        if not raws:
            return text, False
        if text.count(MARK) != len(raws):
            return self.json.dumps(plain(data), separators=(",", ":")), True
        for index, raw in enumerate(raws):
            text = text.replace(f'"{MARK}{index}"', raw, 1)
        return text, True

    def encode(self):
        if self._text is None or self.packet_type in (packet.BINARY_EVENT, packet.BINARY_ACK):
            return super().encode()
        encoded = str(self.packet_type)
        if self.namespace is not None and self.namespace != "/":
            encoded += self.namespace + ","
        if self.id is not None:
            encoded += str(self.id)
        return encoded + self._text
