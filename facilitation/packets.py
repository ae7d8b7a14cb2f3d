"""Socket.IO packets as python-socketio builds them, minus a walk over their data.

Before encoding a packet, python-socketio walks every value of its data to see whether it holds
bytes (sent as binary attachments), building a list and a reduce at every level: for a join
answer that lists 500 people this costs about twice the JSON encoding itself, on every join. Here
the packet is encoded to JSON once, when it is built: if that works, the data holds no bytes and
the text is kept for `encode()`; if JSON refuses it (bytes inside), python-socketio's own check
and encoding run as before. Nothing this server sends is binary today.
"""

from socketio import packet


class Packet(packet.Packet):
    def __init__(self, packet_type=packet.EVENT, data=None, namespace=None, id=None,
                 binary=None, encoded_packet=None):
        self._text = None
        if binary is None and encoded_packet is None and data is not None:
            try:
                self._text = self.json.dumps(data, separators=(",", ":"))
                binary = False
            except TypeError:
                pass
        super().__init__(packet_type, data, namespace, id, binary, encoded_packet)

    def encode(self):
        if self._text is None or self.packet_type in (packet.BINARY_EVENT, packet.BINARY_ACK):
            return super().encode()
        encoded = str(self.packet_type)
        if self.namespace is not None and self.namespace != "/":
            encoded += self.namespace + ","
        if self.id is not None:
            encoded += str(self.id)
        return encoded + self._text
