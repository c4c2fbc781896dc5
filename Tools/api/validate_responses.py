#!/usr/bin/env python3
"""Validate real seald responses against docs/openapi.yaml.

    python3 Tools/api/validate_responses.py CASES.json [SPEC]

CASES.json is a list of {"method", "path" (the template, e.g. /api/jobs/{id}),
"status" (int), "body" (the decoded JSON response)}. Each body is checked with
openapi-schema-validator's OAS 3.1 validator against the schema the document
declares for that operation and status (falling back to `default`), with
`$ref`s resolved inside the document. Prints one line per failure and exits 1
when any case fails, 0 when all pass. Used by the end-to-end tests so the
daemon is held to the published contract, not only its Swift types.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from openapi_schema_validator import OAS31Validator

DEFAULT_DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def response_schema(spec: dict, method: str, path: str, status: int) -> dict | None:
    operation = spec["paths"].get(path, {}).get(method.lower())
    if operation is None:
        raise KeyError(f"{method} {path} is not in the document")
    responses = operation.get("responses", {})
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    if response is None:
        raise KeyError(f"{method} {path} documents no response for status {status}")
    while "$ref" in response:
        name = response["$ref"].split("/")[-1]
        response = spec["components"]["responses"][name]
    content = response.get("content", {})
    media = content.get("application/json")
    return None if media is None else media.get("schema")


def main() -> int:
    cases = json.loads(Path(sys.argv[1]).read_text())
    spec = yaml.safe_load(Path(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_DOCUMENT).read_text())
    failures = 0
    for case in cases:
        label = f"{case['method']} {case['path']} -> {case['status']}"
        try:
            schema = response_schema(spec, case["method"], case["path"], case["status"])
        except KeyError as error:
            print(f"FAIL {label}: {error}")
            failures += 1
            continue
        if schema is None:
            print(f"FAIL {label}: no JSON schema documented")
            failures += 1
            continue
        root = dict(schema)
        root["components"] = spec.get("components", {})
        errors = sorted(OAS31Validator(root).iter_errors(case["body"]), key=lambda e: list(e.path))
        for error in errors[:5]:
            where = "/".join(str(p) for p in error.path) or "(body)"
            print(f"FAIL {label}: {where}: {error.message}")
        failures += bool(errors)
        if not errors:
            print(f"ok   {label}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
