#!/usr/bin/env python3
"""A webhook receiver for the tests: verifies Standard Webhooks signatures on its own (Python's hmac, not the
suite's code), records every call, and answers as told.

    webhook-test-receiver.py --secret whsec_... --record FILE [--port N] [--fail-first N] [--status CODE]
                             [--mode-file FILE]

Prints the port it listens on (127.0.0.1) as its first line. Each call is appended to FILE as one JSON line:
{"id", "timestamp", "signature", "verified", "body", "status"}. The first N calls get 500 (--fail-first), then
every call gets --status (200 by default). With --mode-file, the file's content, read at each call, can change that
while it runs: "normal" (as above), "500" (500 to every call) or "stall" (hold the call 30 s, then 503). SIGTERM
stops it.
"""
import argparse
import base64
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--body-bytes", type=int, default=2, help="the size of the answer's body")
    parser.add_argument("--mode-file", help="normal, 500 or stall, read at each call")
    args = parser.parse_args()
    key = base64.b64decode(args.secret[len("whsec_"):])
    lock = threading.Lock()
    calls = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            message_id = self.headers.get("webhook-id", "")
            timestamp = self.headers.get("webhook-timestamp", "")
            signature = self.headers.get("webhook-signature", "")
            signed = f"{message_id}.{timestamp}.".encode() + body
            expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
            verified = any(
                part.startswith("v1,") and hmac.compare_digest(part[3:], expected) for part in signature.split(" ")
            )
            mode = "normal"
            if args.mode_file:
                try:
                    with open(args.mode_file, encoding="utf-8") as file:
                        mode = file.read().strip() or "normal"
                except OSError:
                    pass
            if mode == "stall":
                time.sleep(30)
            with lock:
                calls["n"] += 1
                status = 500 if calls["n"] <= args.fail_first else args.status
                if mode == "500":
                    status = 500
                elif mode == "stall":
                    status = 503
                if not verified:
                    status = 401
                with open(args.record, "a", encoding="utf-8") as record:
                    record.write(json.dumps({
                        "id": message_id, "timestamp": timestamp, "signature": signature, "verified": verified,
                        "body": body.decode("utf-8"), "status": status,
                        "contentType": self.headers.get("content-type", ""),
                    }) + "\n")
            try:
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.send_header("content-length", str(args.body_bytes))
                self.end_headers()
                self.wfile.write((b"ok" if status < 300 else b"no").ljust(args.body_bytes, b".")[: args.body_bytes])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up waiting (a stalled call): nothing to answer

        def log_message(self, *arguments):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
