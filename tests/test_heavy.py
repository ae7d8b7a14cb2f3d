"""Issue 15, finding 10: heavy requests run off the event loop, and exports are rate-limited."""

import pytest

from facilitation import offload as offload_module


@pytest.fixture
def runner(monkeypatch):
    """Record what runs through offload() (app.py's runner is eventlet's thread pool)."""
    calls = []

    def run(fn, *args, **kwargs):
        calls.append(getattr(fn, "__name__", repr(fn)))
        return fn(*args, **kwargs)

    monkeypatch.setattr(offload_module, "_runner", run)
    return calls


def test_an_import_is_parsed_and_checked_off_the_event_loop(client, workshop, runner):
    export = client.get(f"/f/{workshop['facilitator_key']}/export.json").get_json()
    runner.clear()
    answer = client.post("/api/import", json=export)
    assert answer.status_code == 201
    assert len(runner) >= 2  # the JSON body's parsing and the export's check, at least


@pytest.mark.parametrize("fmt", ["zip", "html", "csv"])
def test_exports_are_rendered_off_the_event_loop(client, workshop, runner, fmt):
    answer = client.get(f"/f/{workshop['facilitator_key']}/export.{fmt}")
    assert answer.status_code == 200
    assert runner, "the rendering ran on the event loop"


def test_exports_are_rate_limited_per_address(client, workshop):
    code = workshop["rooms"][0]["code"]
    answers = [client.get(f"/r/{code}/export.html").status_code for _ in range(40)]
    assert answers[0] == 200 and 429 in answers
    refused = client.get(f"/r/{code}/export.csv")
    assert refused.status_code == 429 and "Wait a minute" in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"]
    other = client.get(f"/r/{code}/export.html", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
