#!/usr/bin/env python3
"""Check seald's OpenAPI document (docs/openapi.yaml).

    python3 Tools/api/check_openapi.py              # validate, print a summary
    python3 Tools/api/check_openapi.py --routes     # also list "METHOD PATH", one per operation
    python3 Tools/api/check_openapi.py other.yaml   # check another file

Validation is openapi-spec-validator's OpenAPI 3.1 check, plus seal's own
conventions: every operation has a unique camelCase operationId, every error
response is the shared `Error` response, request bodies reject unknown fields,
and every `x-seal-events` entry names an existing schema.

With --routes the route list alone goes to stdout, sorted, so a test can
compare it with the routes the daemon registers; the summary then goes to
stderr. Exit status: 0 valid, 1 invalid, 2 cannot run (missing file or
dependency).

Requires: pip install openapi-spec-validator==0.9.0 (brings PyYAML).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REQUIREMENT = "openapi-spec-validator==0.9.0"
DEFAULT_DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ERROR_RESPONSE = "#/components/responses/Error"
OPERATION_ID = re.compile(r"^[a-z][A-Za-z0-9]*$")


def fail(message: str, status: int = 1) -> None:
    print(f"openapi check failed: {message}", file=sys.stderr)
    sys.exit(status)


def load(path: Path) -> dict:
    try:
        import yaml
    except ImportError:
        fail(f"PyYAML is missing; install it with: pip install {REQUIREMENT}", 2)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}", 2)
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        fail(f"{path} is not valid YAML: {error}")
    if not isinstance(document, dict):
        fail(f"{path} does not hold a YAML mapping")
    return document


def location(error) -> str:
    parts = [str(p) for p in getattr(error, "absolute_path", [])]
    return "/".join(parts) if parts else "(document root)"


def spec_errors(document: dict) -> list[str]:
    try:
        from openapi_spec_validator import OpenAPIV31SpecValidator
    except ImportError:
        fail(f"openapi-spec-validator is missing; install it with: pip install {REQUIREMENT}", 2)
    validator = OpenAPIV31SpecValidator(document)
    return [f"{location(e)}: {e.message}" for e in validator.iter_errors()]


def resolve(document: dict, ref: str):
    if not ref.startswith("#/"):
        return None
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def operations(document: dict):
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, dict) and method in item:
                yield path, method, item[method]


def convention_errors(document: dict) -> list[str]:
    errors = []
    if document.get("openapi") != "3.1.0":
        errors.append(f"openapi: expected 3.1.0, found {document.get('openapi')!r}")
    seen: dict[str, str] = {}
    for path, method, op in operations(document):
        where = f"{method.upper()} {path}"
        op_id = op.get("operationId")
        if not op_id:
            errors.append(f"{where}: no operationId")
        elif not OPERATION_ID.match(op_id):
            errors.append(f"{where}: operationId {op_id!r} is not camelCase")
        elif op_id in seen:
            errors.append(f"{where}: operationId {op_id!r} is also used by {seen[op_id]}")
        else:
            seen[op_id] = where
        if "x-seal-admin" in op and op["x-seal-admin"] is not True:
            errors.append(f"{where}: x-seal-admin must be true or absent")

        responses = op.get("responses") or {}
        if not any(str(code).startswith("2") for code in responses):
            errors.append(f"{where}: no 2xx response")
        for code, response in responses.items():
            code = str(code)
            if code.startswith(("4", "5")) or code == "default":
                if not isinstance(response, dict) or response.get("$ref") != ERROR_RESPONSE:
                    errors.append(f"{where}: response {code} must be $ref {ERROR_RESPONSE}")
            if isinstance(response, dict):
                for media, content in (response.get("content") or {}).items():
                    for event, ref in ((content or {}).get("x-seal-events") or {}).items():
                        if not isinstance(ref, str) or resolve(document, ref) is None:
                            errors.append(f"{where}: {code} {media} event {event!r} names {ref!r}, which does not resolve")

        body = op.get("requestBody")
        if isinstance(body, dict):
            schema = ((body.get("content") or {}).get("application/json") or {}).get("schema") or {}
            if not rejects_unknown_fields(document, schema):
                errors.append(f"{where}: request body schema must set additionalProperties: false")
    return errors


def rejects_unknown_fields(document: dict, schema, depth: int = 0) -> bool:
    """True when the schema (through $ref and allOf) sets additionalProperties: false."""
    if depth > 8 or not isinstance(schema, dict):
        return False
    if schema.get("additionalProperties") is False:
        return True
    if "$ref" in schema and rejects_unknown_fields(document, resolve(document, schema["$ref"]), depth + 1):
        return True
    return any(rejects_unknown_fields(document, part, depth + 1) for part in schema.get("allOf") or [])


def main() -> None:
    parser = argparse.ArgumentParser(description="Validate seald's OpenAPI document.")
    parser.add_argument("document", nargs="?", type=Path, default=DEFAULT_DOCUMENT,
                        help=f"the document to check (default: {DEFAULT_DOCUMENT})")
    parser.add_argument("--routes", action="store_true",
                        help="print 'METHOD PATH' for every operation, sorted, on stdout")
    args = parser.parse_args()

    document = load(args.document)
    errors = spec_errors(document)
    if not errors:  # seal's conventions assume a structurally valid document
        errors = convention_errors(document)
    if errors:
        print(f"openapi check failed: {args.document} has {len(errors)} problem(s):", file=sys.stderr)
        for error in errors:
            print(f"  - {error}", file=sys.stderr)
        sys.exit(1)

    ops = list(operations(document))
    summary = f"openapi ok: {len(document.get('paths') or {})} paths, {len(ops)} operations"
    if args.routes:
        print(summary, file=sys.stderr)
        for line in sorted(f"{method.upper()} {path}" for path, method, _ in ops):
            print(line)
    else:
        print(summary)


if __name__ == "__main__":
    main()
