"""The WebSocket unmasking app.py installs in eventlet gives eventlet's own bytes, faster."""

import os
import random
import warnings

from facilitation.wsmask import apply_mask

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # eventlet's deprecation notice on import
    from eventlet.websocket import RFC6455WebSocket

EVENTLET = RFC6455WebSocket._apply_mask


def test_same_bytes_as_eventlet_for_every_length_offset_and_mask_form():
    rng = random.Random(14)
    for length in list(range(0, 40)) + [250, 4096, 70000]:
        data = os.urandom(length + rng.randrange(3))
        for mask in (os.urandom(4), [rng.randrange(256) for _ in range(4)]):
            for offset in range(4):
                expected = EVENTLET(data, mask, length=length, offset=offset)
                assert apply_mask(data, mask, length=length, offset=offset) == expected
        assert apply_mask(data, mask) == EVENTLET(data, mask)


def test_a_masked_op_round_trips_as_text():
    text = '{"type":"note.add","op_id":"a","text":"Łódź: più alberi, façades vertes"}'.encode()
    mask = os.urandom(4)
    assert apply_mask(apply_mask(text, mask), mask).decode() == text.decode()

