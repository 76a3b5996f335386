"""schemathesis against the control API of a real `antenne serve`, on SQLite and on PostgreSQL.

The server runs from $ANTENNE_BIN (default .build/debug/antenne) on free loopback ports with a
temporary data directory and an admin token; for PostgreSQL the test starts a throwaway cluster
(tests/support/postgres.py). A few resources are created first (an organisation, an API token, a
channel, a stream key, an event, a recording, a clip, a webhook) and their ids are fed to
schemathesis as dictionaries for the path parameters, query filters and body fields that name
them, so most requests reach real objects rather than a 404. schemathesis then runs its
coverage, fuzzing and stateful phases (links inferred from the Location headers) against
/api/v1/openapi.json and fails on any 5xx and on any answer whose status, content type, headers
or body the document does not describe.

Deterministic: schemathesis' deterministic generation, one worker, no example database. On a
failure the report has schemathesis' output (with a curl line reproducing each failure) and the
server log tail. ANTENNE_SCHEMATHESIS_EXAMPLES changes the examples per operation (default 25).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("schemathesis", reason="scripts/setup --tests installs schemathesis")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import AntenneServer, AntenneStartError, antenne_bin, running_antenne  # noqa: E402
from postgres import bin_directory, throwaway_postgres  # noqa: E402
from procutil import log_tail  # noqa: E402

ADMIN_TOKEN = "schemathesis-admin-" + secrets.token_hex(16)
MAX_EXAMPLES = int(os.environ.get("ANTENNE_SCHEMATHESIS_EXAMPLES", "25"))
# A whole run takes about a minute per backend; this only stops a run that hangs.
RUN_TIMEOUT = 600

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    # The document promises 405 with Allow for a method a path does not have, and 401 without a
    # valid token.
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
]

# Which seeded resource each operation's `id` names. The deletes and revokes are left out:
# deleting the seeded organisation would take everything else with it, and a revoked key cannot be
# rotated. They reach real objects in the stateful phase, which runs last on what it creates.
PATH_IDS = {
    "organisations": ["getOrganisation", "updateOrganisation", "createToken", "listTokens"],
    "tokens": ["getToken"],
    "channels": ["getChannel", "updateChannel", "createStreamKey", "listStreamKeys", "createEvent", "listEvents",
                 "createRecording", "listRecordings", "createClip", "listClips", "getChannelLive", "getChannelHistory",
                 "createDestination", "listDestinations"],
    "keys": ["getStreamKey", "rotateStreamKey"],
    "events": ["getEvent", "updateEvent"],
    "recordings": ["getRecording", "updateRecording"],
    "clips": ["getClip"],
    "webhooks": ["getWebhook", "updateWebhook", "listDeliveries"],
    "destinations": ["getDestination"],
}
# Other parameters naming the seeded organisation.
ORGANISATION_PARAMETERS = {
    "createChannel": "body.organisationId",
    "createWebhook": "body.organisationId",
    "listChannels": "query.organisationId",
    "listWebhooks": "query.organisationId",
}
# Real ids most of the time; the rest are generated, so unknown ids are tried too.
SEED_PROBABILITY = 0.8

# Valid values generated data seldom hits: event times that make a pair the server takes (endsAt
# later than startsAt, at most 31 days on) and http(s) URLs (a generated URI has any scheme).
VALUES = {
    "starts": ["2030-01-01T18:00:00Z"],
    "ends": ["2030-01-01T20:00:00Z"],
    # A clip must be over: a start well in the past.
    "clip_starts": ["2020-01-01T18:00:00Z"],
    "urls": ["https://hooks.example/antenne"],
    "push_urls": ["rtmp://127.0.0.1:9/live"],
}
BODY_VALUES = {
    "createEvent": {"startsAt": "starts", "endsAt": "ends", "posterUrl": "urls"},
    "updateEvent": {"startsAt": "starts", "endsAt": "ends", "posterUrl": "urls"},
    "createRecording": {"startsAt": "starts", "endsAt": "ends"},
    "updateRecording": {"startsAt": "starts", "endsAt": "ends"},
    "createClip": {"start": "clip_starts", "recording": "recordings"},
    "createWebhook": {"url": "urls"},
    "updateWebhook": {"url": "urls"},
    "createDestination": {"url": "push_urls"},
}
VALUE_PROBABILITY = 0.5


@pytest.fixture(scope="module")
def antenne_path() -> Path:
    path = antenne_bin()
    if not os.access(path, os.X_OK):
        pytest.skip(f"antenne binary not found at {path} (build it or set ANTENNE_BIN)")
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def database_args(request) -> list[str]:
    """The `serve` flags for the backend: none for SQLite (the default), `--database-url` of a
    throwaway cluster for PostgreSQL."""
    if request.param == "sqlite":
        yield []
        return
    if bin_directory() is None:
        pytest.skip("no PostgreSQL server in /usr/lib/postgresql/*/bin (scripts/setup --tests installs it)")
    with throwaway_postgres() as url:
        yield ["--database-url", url]


def api(server: AntenneServer, method: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        server.url("/api/v1/" + path), method=method, data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"seeding: {method} {path}: {exc.code} {exc.read().decode(errors='replace')}") from exc


def seed(server: AntenneServer) -> dict[str, str]:
    """One resource of each kind; returns their ids by kind."""
    organisation = api(server, "POST", "organisations", {"name": "Seeded"})["id"]
    token = api(server, "POST", f"organisations/{organisation}/tokens", {"name": "seeded", "role": "admin"})["id"]
    channel = api(server, "POST", "channels", {"organisationId": organisation, "name": "seeded"})["id"]
    key = api(server, "POST", f"channels/{channel}/keys", {"label": "seeded"})["id"]
    event = api(server, "POST", f"channels/{channel}/events", {
        "title": "Seeded", "startsAt": "2030-01-01T18:00:00Z", "endsAt": "2030-01-01T20:00:00Z",
    })["id"]
    # Nothing is ever published, so no delivery is attempted; port 9 is discard anyway.
    recording = api(server, "POST", f"channels/{channel}/recordings", {
        "title": "Seeded", "startsAt": "2020-01-01T18:00:00Z", "endsAt": "2020-01-01T20:00:00Z",
    })["id"]
    clip = api(server, "POST", f"channels/{channel}/clips", {"recording": recording, "offset": 60, "duration": 30})["id"]
    webhook = api(server, "POST", "webhooks", {
        "organisationId": organisation, "url": "http://127.0.0.1:9/hook", "events": ["stream.started"],
    })["id"]
    # Never pushed: the channel never goes live (and port 9 is discard).
    destination = api(server, "POST", f"channels/{channel}/destinations", {
        "url": "rtmp://127.0.0.1:9/live", "streamKey": "seeded-key",
    })["id"]
    return {"organisations": organisation, "tokens": token, "channels": channel, "keys": key,
            "events": event, "recordings": recording, "clips": clip, "webhooks": webhook, "destinations": destination}


def toml(value) -> str:
    """A TOML value: JSON's strings, numbers, booleans and arrays are valid TOML."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def write_config(directory: Path, ids: dict[str, str]) -> Path:
    """schemathesis.toml: the checks, deterministic generation, and the seeded ids."""
    lines = [
        "workers = 1",
        "[generation]",
        "deterministic = true",
        'database = "none"',
        f"max-examples = {MAX_EXAMPLES}",
        "[auth.openapi.bearer]",
        f"bearer = {toml(ADMIN_TOKEN)}",
        # Ids seen in answers are not reused before the stateful phase: a delete would take a
        # seeded resource away from the operations tested after it.
        "[phases.coverage.extra-data-sources]",
        "responses = false",
        "[phases.fuzzing.extra-data-sources]",
        "responses = false",
        # Scenarios are short and each reaches real objects (deletes included): more of them.
        "[phases.stateful.generation]",
        f"max-examples = {2 * MAX_EXAMPLES}",
        "[checks]",
        "enabled = false",
        *(f"{check}.enabled = true" for check in CHECKS),
    ]
    for kind, id in ids.items():
        lines += [f"[dictionaries.{kind}]", f"values = {toml([id])}"]
    for name, values in VALUES.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml(values)}"]
    # One [[operations]] entry per operation: only the first entry matching an operation applies.
    bindings: dict[str, dict] = {}
    for kind, operations in PATH_IDS.items():
        for operation in operations:
            bindings.setdefault(operation, {})["path.id"] = {"dictionary": kind, "probability": SEED_PROBABILITY}
    for operation, parameter in ORGANISATION_PARAMETERS.items():
        bindings.setdefault(operation, {})[parameter] = {"dictionary": "organisations", "probability": SEED_PROBABILITY}
    for operation, fields in BODY_VALUES.items():
        for field, name in fields.items():
            bindings.setdefault(operation, {})[f"body.{field}"] = {"dictionary": name, "probability": VALUE_PROBABILITY}
    for operation, parameters in bindings.items():
        lines += ["[[operations]]", f"include-operation-id = {toml(operation)}", f"parameters = {toml(parameters)}"]
    path = directory / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_no_server_error_and_every_answer_matches_the_document(antenne_path, database_args, tmp_path):
    work = tmp_path / "antenne"
    work.mkdir()
    try:
        with running_antenne(antenne_path, work, database_args, env={"ANTENNE_ADMIN_TOKEN": ADMIN_TOKEN}) as server:
            config = write_config(tmp_path, seed(server))
            cmd = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", "--no-color",
                   server.url("/api/v1/openapi.json")]
            started = time.monotonic()
            # In tmp_path: schemathesis writes its cache and reports to the working directory.
            run = subprocess.run(cmd, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, timeout=RUN_TIMEOUT)
            elapsed = time.monotonic() - started
            alive = server.process.poll() is None
    except AntenneStartError as exc:
        pytest.fail(str(exc))
    print(f"schemathesis took {elapsed:.0f}s")
    report = f"{run.stdout}\n--- antenne log tail ---\n{log_tail(work / 'antenne.log')}"
    assert alive, f"antenne exited during the run\n{report}"
    assert run.returncode == 0, f"schemathesis failed (exit {run.returncode})\n{report}"
