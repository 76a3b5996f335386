"""The control API's OpenAPI document is a valid OpenAPI 3.1 document.

The document is built in Swift from the API's endpoint table
(Sources/Control/API/OpenAPI/OpenAPIDocument.swift) and is written to `.build/openapi.json` by the
Swift test `ControlAPITests.OpenAPITests`, so run the Swift tests first: `scripts/test` runs
`swift test` before pytest. Set ANTENNE_OPENAPI_FILE to validate another file instead (for example
one fetched from a running server's /api/v1/openapi.json).

The Swift tests check the rest: every route of the router is in `paths` and every path is a
route, and real answers match the schemas.
"""

import json
import os
from pathlib import Path

from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]


def document_path() -> Path:
    configured = os.environ.get("ANTENNE_OPENAPI_FILE")
    return Path(configured) if configured else ROOT / ".build" / "openapi.json"


def load_document() -> dict:
    path = document_path()
    assert path.is_file(), f"{path} is missing: run the Swift tests first (swift test --filter ControlAPITests)"
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def test_document_is_valid_openapi_3_1():
    document = load_document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_has_a_unique_id_and_uses_the_error_schema():
    document = load_document()
    ids = []
    for path, item in document["paths"].items():
        for method in ("get", "put", "post", "patch", "delete"):
            operation = item.get(method)
            if operation is None:
                continue
            ids.append(operation["operationId"])
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response.get("$ref", "").startswith("#/components/responses/"), (path, method, status)
    assert len(ids) == len(set(ids))
    for name, response in document["components"]["responses"].items():
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}, name


def test_every_schema_is_used():
    document = load_document()
    text = json.dumps(document["paths"]) + json.dumps(document["components"])
    for name in document["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text, f"schema {name} is never referenced"
