"""Issue 15, finding 15: Engine.IO answers carry the security headers; forwarded headers are
trusted only when FACILITATION_PROXIES says a proxy sets them."""

import urllib.error
import urllib.request

import pytest
import websocket

from facilitation.security import HEADERS


def test_socket_io_polling_answers_and_their_errors_carry_the_security_headers(client):
    opened = client.get("/socket.io/?EIO=4&transport=polling")
    refused = client.get("/socket.io/?EIO=4&transport=polling&sid=unknown")
    assert opened.status_code == 200 and refused.status_code == 400
    for answer in (opened, refused):
        for name, value in HEADERS.items():
            assert answer.headers.get(name) == value, (name, answer.status_code)


@pytest.mark.live
def test_forwarded_host_and_proto_do_not_make_a_foreign_origin_ours_without_a_proxy(
        live_server):
    url = live_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    spoofed = ["X-Forwarded-Host: evil.example", "X-Forwarded-Proto: https"]
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(url, origin="https://evil.example", header=spoofed,
                                    timeout=5)
    polling = urllib.request.Request(
        live_server.url + "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": "https://evil.example", "X-Forwarded-Host": "evil.example",
                 "X-Forwarded-Proto": "https"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(polling, timeout=5)
    assert refused.value.code == 400
    refused.value.close()


def test_behind_a_configured_proxy_the_forwarded_origin_is_ours(tmp_path):
    from facilitation import create_app
    from facilitation.db import get_store

    app = create_app({"FACILITATION_DB": str(tmp_path / "p.sqlite"),
                      "SOCKETIO_ASYNC_MODE": "threading", "FACILITATION_PROXIES": 1})
    answer = app.test_client().get(
        "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": "https://boards.example", "X-Forwarded-Host": "boards.example",
                 "X-Forwarded-Proto": "https"})
    assert answer.status_code == 200
    foreign = app.test_client().get(
        "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": "https://evil.example", "X-Forwarded-Host": "boards.example",
                 "X-Forwarded-Proto": "https"})
    assert foreign.status_code == 400
    get_store(app).close()
