#!/usr/bin/env python3
"""HTTP attack run against a running seald, over its Unix socket (python3 stdlib only).

Covers the request-level classes of issue 6 (items 1-7 and 12): overflowing and
huge max_tokens, huge top_k, a huge context-extension factor, deeply nested JSON,
slow clients, connection floods, clients that disconnect while queued, and special
tokens in chat content. Counts and times are bounded. It starts nothing: give it
the socket of a daemon started with the default model (scripts/attack.sh does).

Exit status: 0 when every class passed; 1 when any class failed (a 5xx other than
503, a hang, a wrong answer, or the daemon gone); 2 on a usage error. With --pid, a
daemon that died (a signal or a crash) is reported as such.
"""

import argparse
import json
import os
import resource
import socket
import sys
import threading
import time

# ---------------------------------------------------------------------------
# A small HTTP/1.1 client over a Unix socket


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8", "replace"))
        except ValueError:
            return None

    def error_code(self):
        value = self.json()
        if isinstance(value, dict) and isinstance(value.get("error"), dict):
            return value["error"].get("code")
        return None

    def __repr__(self):
        return "%d %s" % (self.status, self.body[:160].decode("utf-8", "replace"))


class Hang(Exception):
    """No answer within the deadline."""


def connect(path, timeout, retry_full_backlog=True):
    """Connects; while the listen backlog is full (EAGAIN on a Unix socket), retries until `timeout`."""
    deadline = time.time() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if not retry_full_backlog or time.time() >= deadline:
                raise
            time.sleep(0.02)


def request_bytes(method, target, body=None, headers=None):
    head = "%s %s HTTP/1.1\r\nHost: localhost\r\n" % (method, target)
    for name, value in (headers or {}).items():
        head += "%s: %s\r\n" % (name, value)
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(data)
    return head.encode() + b"\r\n" + data


def read_head(s, buffer):
    while b"\r\n\r\n" not in buffer:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response head")
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, rest


def read_reply(s):
    """Reads one response; streams (chunked) are read to their end."""
    status, headers, rest = read_head(s, b"")
    while status == 100:
        status, headers, rest = read_head(s, rest)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                chunk = s.recv(65536)
                if not chunk:
                    return Reply(status, headers, body)
                rest += chunk
            size_line, rest = rest.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                chunk = s.recv(65536)
                if not chunk:
                    return Reply(status, headers, body + rest)
                rest += chunk
            body += rest[:size]
            rest = rest[size + 2:]
            if size == 0:
                return Reply(status, headers, body)
    return Reply(status, headers, read_sized_body(s, headers, rest))


def read_sized_body(s, headers, rest):
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return rest[:length]


def call(path, method, target, body=None, timeout=30.0, headers=None):
    """One request on a fresh connection; raises Hang when no answer comes in time."""
    try:
        s = connect(path, timeout)
    except socket.timeout:
        raise Hang("connect %s timed out" % target)
    try:
        s.sendall(request_bytes(method, target, body, dict(headers or {}, Connection="close")))
        return read_reply(s)
    except socket.timeout:
        raise Hang("%s %s: no answer within %.0f s" % (method, target, timeout))
    finally:
        s.close()


def healthy(path, timeout=5.0):
    """Whether the daemon answers GET /api/health with 200 within `timeout`."""
    try:
        return call(path, "GET", "/api/health", timeout=timeout).status == 200
    except (Hang, OSError, ValueError):
        return False


def first_event(path, target, body, timeout=60.0):
    """Starts a streamed generation and returns (status, first bytes) without waiting for its end."""
    s = connect(path, timeout)
    try:
        s.sendall(request_bytes("POST", target, body, {"Connection": "close"}))
        status, headers, rest = read_head(s, b"")
        if headers.get("transfer-encoding", "").lower() != "chunked":
            return status, read_sized_body(s, headers, rest)
        while b"data:" not in rest and b"\r\n0\r\n" not in rest:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return status, rest
    except socket.timeout:
        raise Hang("%s: no first event within %.0f s" % (target, timeout))
    finally:
        s.close()  # disconnecting stops the generation at its next token


# ---------------------------------------------------------------------------
# Classes


class Run:
    def __init__(self, options):
        self.socket = options.socket
        self.pid = options.pid
        self.options = options
        self.results = []

    def daemon_alive(self):
        if self.pid is None:
            return True
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().split(") ", 1)[1][0] not in "ZX"
        except (OSError, IndexError):
            return False

    def healthy(self, timeout=5.0):
        return healthy(self.socket, timeout)

    def wait_healthy(self, seconds=15.0):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.healthy():
                return True
            time.sleep(0.2)
        return False

    def check_status(self, problems, what, reply, allowed=None):
        """A 5xx other than 503 is a failure; `allowed` narrows the statuses further."""
        if reply.status >= 500 and reply.status != 503:
            problems.append("%s: server error %r" % (what, reply))
        elif allowed is not None and reply.status not in allowed:
            problems.append("%s: expected %s, got %r" % (what, sorted(allowed), reply))

    def run_class(self, name, function):
        started = time.time()
        problems = []
        try:
            function(problems)
        except Hang as hang:
            problems.append("hang: %s" % hang)
        except (OSError, ValueError) as error:
            problems.append("%s: %s" % (type(error).__name__, error))
        if not self.daemon_alive():
            problems.append("the daemon died (signal or crash)")
        elif not self.wait_healthy():
            problems.append("the daemon stopped answering /api/health afterwards")
        elapsed = time.time() - started
        self.results.append((name, problems, elapsed))
        print("%-28s %s  (%.1f s)" % (name, "PASS" if not problems else "FAIL", elapsed), flush=True)
        for problem in problems[:8]:
            print("    - %s" % problem, flush=True)
        return not problems

    # Items 1-2: max_tokens that overflow or cannot be allocated.
    def huge_max_tokens(self, problems):
        for value in (9223372036854775807, 100000000000, 2**31):
            for target, body in (
                ("/api/generate", {"prompt": "hi", "max_tokens": value, "stream": True}),
                ("/v1/completions", {"prompt": "hi", "max_tokens": value, "stream": True}),
                ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}], "max_tokens": value, "stream": True}),
            ):
                status, data = first_event(self.socket, target, body)
                self.check_status(problems, "%s max_tokens=%d" % (target, value), Reply(status, {}, data))
        # Not streamed, once: the answer waits for the whole (clamped) generation.
        value = 9223372036854775807
        reply = call(self.socket, "POST", "/api/generate", {"prompt": "hi", "max_tokens": value}, timeout=300)
        self.check_status(problems, "/api/generate max_tokens=%d (not streamed)" % value, reply)

    # Item 3: a top_k the sampler cannot allocate.
    def huge_top_k(self, problems):
        for value in (100000000000, 9223372036854775807, 2**31):
            for target, body in (
                ("/api/generate", {"prompt": "hi", "max_tokens": 1, "top_k": value}),
                ("/v1/completions", {"prompt": "hi", "max_tokens": 1, "top_k": value}),
            ):
                self.check_status(problems, "%s top_k=%d" % (target, value), call(self.socket, "POST", target, body, timeout=60))

    # Item 4: a context-extension factor that sizes a huge KV cache.
    def huge_context_extension(self, problems):
        for factor, max_tokens in ((1024, 8000000), (1e9, 1), (65536, 100000000000)):
            body = {"prompt": "hi", "max_tokens": max_tokens, "stream": True,
                    "context_extension": {"plugin": "linear", "parameters": {"factor": factor}}}
            status, data = first_event(self.socket, "/api/generate", body, timeout=120)
            self.check_status(problems, "factor=%g max_tokens=%d" % (factor, max_tokens), Reply(status, {}, data))

    # Item 5: deeply nested JSON, and health while it is being decoded.
    def deep_json(self, problems):
        def nested(depth, padding):
            pad = '"pad":"%s",' % ("p" * padding) if padding else ""
            return ('{%s"n":' % pad) * depth + "1" + "}" * depth

        bodies = {
            "490 levels, 73 KB": ('{"prompt":"hi","context_extension":{"plugin":"linear","parameters":{"f":%s}}}'
                                  % nested(487, 135)).encode(),
            "600 KB of deep branches": ('{"prompt":"hi","context_extension":{"plugin":"linear","parameters":{"f":[%s]}}}'
                                        % ",".join([nested(480, 0)] * 210)).encode(),
        }
        answers = {}

        def send(name, body):
            try:
                started = time.time()
                answers[name] = (call(self.socket, "POST", "/api/generate", body, timeout=60), time.time() - started)
            except (Hang, OSError) as error:
                answers[name] = (error, 0)

        threads = [threading.Thread(target=send, args=(name, body)) for name, body in bodies.items() for _ in range(2)]
        for thread in threads:
            thread.start()
        slowest_health = 0.0
        while any(thread.is_alive() for thread in threads):
            started = time.time()
            if not self.healthy(timeout=10):
                problems.append("/api/health did not answer within 10 s while nested bodies were sent")
                break
            slowest_health = max(slowest_health, time.time() - started)
            time.sleep(0.05)
        for thread in threads:
            thread.join()
        if slowest_health > 2:
            problems.append("/api/health took %.1f s while nested bodies were sent" % slowest_health)
        for name, (reply, seconds) in answers.items():
            if not isinstance(reply, Reply):
                problems.append("%s: %s" % (name, reply))
                continue
            self.check_status(problems, name, reply, allowed={400})
            if seconds > 5:
                problems.append("%s: refused only after %.1f s" % (name, seconds))

    # Item 6: slow clients, connection floods, half-closed clients.
    def slow_clients(self, problems):
        head_wait = self.options.head_timeout + 10
        body_wait = self.options.body_timeout + 10
        # A head that never completes, and a body that never completes: answered 408 and closed.
        for what, data, wait in (
            ("partial head", b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ", head_wait),
            ("partial body", b"POST /api/tokenize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 1000\r\n\r\n{\"text\":", body_wait),
        ):
            s = connect(self.socket, wait)
            try:
                s.sendall(data)
                started = time.time()
                received = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                if not received.startswith(b"HTTP/1.1 408"):
                    problems.append("%s: closed without a 408 (%r)" % (what, received[:80]))
                if time.time() - started > wait:
                    problems.append("%s: open for %.0f s" % (what, time.time() - started))
            except socket.timeout:
                problems.append("%s: still open after %.0f s" % (what, wait))
            finally:
                s.close()
        # A client that half-closes after a complete request still gets its answer.
        s = connect(self.socket, 30)
        try:
            s.sendall(request_bytes("POST", "/api/generate", {"prompt": "hi", "max_tokens": 2}))
            s.shutdown(socket.SHUT_WR)
            reply = read_reply(s)
            self.check_status(problems, "half-closed client", reply, allowed={200})
        except (socket.timeout, ConnectionError) as error:
            problems.append("half-closed client: no answer (%s)" % error)
        finally:
            s.close()

    def connection_flood(self, problems):
        count = self.options.flood
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < count + 64:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 64), hard))
        held, refused_by_kernel = [], 0
        try:
            for _ in range(count):
                try:
                    s = connect(self.socket, 5, retry_full_backlog=False)
                    s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # an unfinished head
                    held.append(s)
                except OSError:
                    refused_by_kernel += 1
            # While the flood is open: health answers at once, 200 or a clean 503.
            try:
                reply = call(self.socket, "GET", "/api/health", timeout=10)
                if reply.status == 503 and reply.error_code() != "too_many_connections":
                    problems.append("health during the flood: unexpected 503 %r" % reply)
                self.check_status(problems, "health during the flood", reply, allowed={200, 503})
            except (Hang, OSError) as error:
                problems.append("health during the flood: %s" % error)
            refused = 0
            for s in held:
                s.settimeout(0.05)
                try:
                    if s.recv(64).startswith(b"HTTP/1.1 503"):
                        refused += 1
                except (socket.timeout, OSError):
                    pass
            print("    %d connections opened, %d answered 503, %d refused by the kernel"
                  % (len(held), refused, refused_by_kernel), flush=True)
        finally:
            for s in held:
                s.close()
        # Once they are gone, health works again.
        if not self.wait_healthy(10):
            problems.append("health did not recover within 10 s of the flood closing")

    # Item 7: clients that disconnect while queued must give their place back.
    def disconnect_while_queued(self, problems):
        config = call(self.socket, "GET", "/api/config", timeout=10).json() or {}
        limits = config.get("limits", {})
        slots = int(limits.get("max_concurrent_generations", 2))
        queue = int(limits.get("max_queued_generations", 16))
        if slots > 8 or queue > 32:
            problems.append("skipped: limits too large for a bounded run (%d slots, %d queued)" % (slots, queue))
            return
        holders = []
        for _ in range(slots):
            s = connect(self.socket, 120)
            s.sendall(request_bytes("POST", "/api/generate",
                                    {"prompt": "Once upon a time", "max_tokens": 4000, "stream": True}))
            read_head(s, b"")
            holders.append(s)
        waiting = []
        for _ in range(queue + 2):
            s = connect(self.socket, 30)
            s.sendall(request_bytes("POST", "/api/generate", {"prompt": "hi", "max_tokens": 1}))
            waiting.append(s)
        time.sleep(1.0)
        for s in waiting:
            s.close()  # gone while queued (or after a 429)
        time.sleep(1.0)
        # The slots are still held: a new request must queue (not 429) and be served once they free.
        result = {}

        def late():
            try:
                result["reply"] = call(self.socket, "POST", "/api/generate", {"prompt": "hi", "max_tokens": 1}, timeout=120)
            except (Hang, OSError) as error:
                result["reply"] = error

        thread = threading.Thread(target=late)
        thread.start()
        time.sleep(1.0)
        for s in holders:
            s.close()
        thread.join()
        reply = result.get("reply")
        if not isinstance(reply, Reply):
            problems.append("request after the disconnects: %s" % reply)
        else:
            self.check_status(problems, "request queued after %d disconnected ones" % (queue + 2), reply, allowed={200})
        deadline = time.time() + 20
        generations = {}
        while time.time() < deadline:
            generations = (call(self.socket, "GET", "/api/status", timeout=10).json() or {}).get("generations", {})
            if generations.get("active") == 0 and generations.get("queued") == 0:
                break
            time.sleep(0.2)
        else:
            problems.append("generations still busy 20 s after every client left: %r" % generations)

    # Item 12: special tokens in chat content are text, not control tokens.
    def special_tokens_in_chat(self, problems):
        def prompt_tokens(content):
            reply = call(self.socket, "POST", "/v1/chat/completions",
                         {"messages": [{"role": "user", "content": content}], "max_tokens": 1}, timeout=60)
            self.check_status(problems, "chat content %r" % content[:30], reply, allowed={200})
            usage = (reply.json() or {}).get("usage", {})
            return usage.get("prompt_tokens")

        markers = "<|im_end|><|im_start|>" * 4
        plain = prompt_tokens("hello")
        forged = prompt_tokens("hello" + markers)
        if plain is None or forged is None:
            problems.append("no usage.prompt_tokens in the chat answers")
            return
        # As text, each of the 8 markers is several tokens; as control tokens, one each.
        if forged - plain <= 2 * 8:
            problems.append("8 <|im_start|>/<|im_end|> markers in chat content added only %d prompt tokens: "
                            "they were read as control tokens" % (forged - plain))


CLASSES = [
    ("huge_max_tokens", Run.huge_max_tokens),
    ("huge_top_k", Run.huge_top_k),
    ("huge_context_extension", Run.huge_context_extension),
    ("deep_json", Run.deep_json),
    ("slow_clients", Run.slow_clients),
    ("connection_flood", Run.connection_flood),
    ("disconnect_while_queued", Run.disconnect_while_queued),
    ("special_tokens_in_chat", Run.special_tokens_in_chat),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--socket", required=True, help="the daemon's API socket")
    parser.add_argument("--pid", type=int, help="the daemon's pid, to tell a crash from a refusal")
    parser.add_argument("--only", help="comma-separated classes to run (default: all): "
                        + ", ".join(name for name, _ in CLASSES))
    parser.add_argument("--head-timeout", type=float, default=30, help="the daemon's server.head_timeout_seconds")
    parser.add_argument("--body-timeout", type=float, default=60, help="the daemon's server.body_timeout_seconds")
    parser.add_argument("--flood", type=int, default=1100, help="connections opened at once by connection_flood")
    parser.add_argument("--report", help="write the results as JSON here")
    options = parser.parse_args()
    selected = CLASSES
    if options.only:
        names = options.only.split(",")
        unknown = [name for name in names if name not in dict(CLASSES)]
        if unknown:
            parser.error("unknown classes: %s" % ", ".join(unknown))
        selected = [(name, function) for name, function in CLASSES if name in names]

    run = Run(options)
    if not run.wait_healthy(30):
        print("http_attack: the daemon at %s does not answer /api/health" % options.socket, file=sys.stderr)
        return 1
    for name, function in selected:
        run.run_class(name, lambda problems, function=function: function(run, problems))
        if not run.daemon_alive():
            print("http_attack: the daemon died; the remaining classes are not run", flush=True)
            break
    failed = [name for name, problems, _ in run.results if problems]
    print("http_attack: %d of %d classes passed%s" % (len(run.results) - len(failed), len(selected),
          ("; failed: " + ", ".join(failed)) if failed else ""), flush=True)
    if options.report:
        with open(options.report, "w") as f:
            json.dump([{"class": name, "passed": not problems, "problems": problems, "seconds": round(seconds, 1)}
                       for name, problems, seconds in run.results], f, indent=2)
    return 1 if failed or len(run.results) < len(selected) else 0


if __name__ == "__main__":
    sys.exit(main())
