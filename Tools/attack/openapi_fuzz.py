#!/usr/bin/env python3
"""Property-based run of the API in docs/openapi.yaml against a running seald.

schemathesis (PyPI) generates requests from the contract, valid and invalid, and
checks that none gets a server error (5xx). schemathesis speaks TCP, seald a Unix
socket: this script forwards a private loopback port to the socket for the run.
It starts no daemon (scripts/attack.sh does) and checks the daemon's health after.

The run uses a copy of the contract whose `max_tokens` fields are required and have
a maximum of MAX_TOKENS: valid generated requests are then cheap to answer, so the
run stays short (the coverage phase, which sends many boundary cases, is opt-in).
Huge values are http_attack.py's business (class huge_max_tokens).

Exit status: 0 when schemathesis found no server error and the daemon is still
healthy; 1 otherwise; 2 on a usage error.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from http_attack import healthy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Operations left out by default: unloading the model turns every later generation
# into 503 by design, and jobs run on in the background for minutes.
EXCLUDED = ["POST /api/models/unload", "POST /api/jobs"]
EXCLUDED_IDS = "^(unloadModel|createJob)$"
MAX_TOKENS = 16


def bounded_contract(path):
    """A copy of the contract with every `max_tokens` property capped at MAX_TOKENS."""
    import yaml  # PyYAML, a dependency of schemathesis

    with open(path) as f:
        document = yaml.safe_load(f)

    def walk(node):
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict) and "max_tokens" in properties:
                node["required"] = sorted(set(node.get("required", [])) | {"max_tokens"})
            for name, value in node.items():
                if name == "max_tokens" and isinstance(value, dict) and value.get("type") == "integer":
                    value["maximum"] = min(value.get("maximum", MAX_TOKENS), MAX_TOKENS)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    handle, copy = tempfile.mkstemp(prefix="seal-openapi-", suffix=".yaml")
    with os.fdopen(handle, "w") as f:
        yaml.safe_dump(document, f, sort_keys=False)
    return copy


def pipe(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
        destination.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def forward(listener, path):
    """Accepts loopback TCP connections and joins each to a new Unix-socket connection."""
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        try:
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(path)
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--socket", required=True, help="the daemon's API socket")
    parser.add_argument("--max-examples", type=int, default=5, help="test cases per operation (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="hypothesis seed (default 1)")
    parser.add_argument("--request-timeout", type=float, default=120, help="seconds per request (default 120)")
    parser.add_argument("--include-all", action="store_true", help="also run " + ", ".join(EXCLUDED))
    parser.add_argument("--phases", default="examples,fuzzing",
                        help="schemathesis phases (default examples,fuzzing; add coverage for boundary cases)")
    parser.add_argument("--report-dir", default=None, help="where schemathesis writes its JUnit report")
    options = parser.parse_args()

    if not healthy(options.socket, timeout=10.0):
        print("openapi_fuzz: the daemon at %s does not answer /api/health" % options.socket, file=sys.stderr)
        return 1
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    threading.Thread(target=forward, args=(listener, options.socket), daemon=True).start()

    contract = bounded_contract(os.path.join(ROOT, "docs/openapi.yaml"))
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", contract,
        "--url", "http://127.0.0.1:%d" % port,
        "--checks", "not_a_server_error",
        "--max-examples", str(options.max_examples),
        "--seed", str(options.seed),
        "--workers", "1",
        "--phases", options.phases,
        "--request-timeout", str(options.request_timeout),
        "--generation-database", "none",
        "--suppress-health-check", "all",
        "--no-color",
    ]
    if not options.include_all:
        command += ["--exclude-operation-id-regex", EXCLUDED_IDS]
    if options.report_dir:
        command += ["--report", "junit", "--report-dir", options.report_dir]
    print("openapi_fuzz: " + " ".join(command), flush=True)
    started = time.time()
    # schemathesis keeps a cache in its working directory: give it a private one.
    with tempfile.TemporaryDirectory(prefix="seal-schemathesis-") as scratch:
        result = subprocess.run(command, cwd=scratch)
    listener.close()
    os.unlink(contract)
    print("openapi_fuzz: schemathesis exited %d after %.0f s" % (result.returncode, time.time() - started), flush=True)
    alive = healthy(options.socket, timeout=10.0)
    print("openapi_fuzz: daemon %s after the run" % ("healthy" if alive else "NOT healthy"), flush=True)
    return 0 if result.returncode == 0 and alive else 1


if __name__ == "__main__":
    sys.exit(main())
