#!/usr/bin/env python3
"""A real SMTP server for the tests: aiosmtpd 1.4.6 (scripts/ensure-python.sh installs it) on 127.0.0.1.

It prints the port it listens on as the first line of its standard output (give --port 0 to let the system choose),
keeps every accepted message in the spool directory, and exits with status 0 on SIGTERM or SIGINT.

    smtp-test-server.py --port 0 --spool DIR [--starttls CERT KEY | --tls CERT KEY] [--auth USER:PASSWORD]
                        [--auth-mechanisms PLAIN,LOGIN] [--reject-rcpt ADDRESS]... [--fail-data-times N]
                        [--refuse-ehlo] [--greeting "421 ..."] [--stall-greeting] [--transcript FILE]

For each accepted message n (1, 2, ...) the spool holds n.eml, the message byte for byte as it arrived after DATA
(aiosmtpd's envelope.original_content: dot-stuffing undone, nothing else touched), and n.json, written after it
(atomically), with mail_from, rcpt_tos, tls (whether the session was encrypted, by STARTTLS or implicit TLS),
authenticated, auth_mechanism and auth_login. --transcript appends every byte the server reads from its clients,
after TLS decryption, so a test can prove what a client did or did not send (credentials before STARTTLS).
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

MECHANISMS = ("PLAIN", "LOGIN")


def parse_arguments():
    parser = argparse.ArgumentParser(description="aiosmtpd test server for the NPQ suite")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 chooses a free port, printed on the first line")
    parser.add_argument("--spool", required=True, help="directory for n.eml and n.json")
    security = parser.add_mutually_exclusive_group()
    security.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"), help="offer and require STARTTLS")
    security.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="implicit TLS (smtps)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="offer AUTH and accept these credentials only")
    parser.add_argument("--auth-mechanisms", default="PLAIN,LOGIN", help="comma-separated subset of PLAIN,LOGIN")
    parser.add_argument("--reject-rcpt", action="append", default=[], metavar="ADDRESS", help="550 for ADDRESS")
    parser.add_argument("--fail-data-times", type=int, default=0, metavar="N", help="451 after the first N DATA")
    parser.add_argument("--refuse-ehlo", action="store_true", help="502 to EHLO, so clients fall back to HELO")
    parser.add_argument("--greeting", help="send this reply instead of the 220 greeting, then close")
    parser.add_argument("--stall-greeting", action="store_true", help="accept connections but never greet")
    parser.add_argument("--transcript", help="append every byte read from clients (after TLS) to this file")
    return parser.parse_args()


def server_tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class RecordingSMTP(SMTP):
    """aiosmtpd's SMTP protocol with the test switches: a transcript, a refused EHLO, another greeting."""

    def __init__(self, handler, *, options, **kwargs):
        super().__init__(handler, **kwargs)
        self.options = options

    def data_received(self, data):
        # Called with plaintext both before STARTTLS (from the socket) and after it (from the TLS layer).
        if self.options.transcript:
            with open(self.options.transcript, "ab") as transcript:
                transcript.write(data)
        super().data_received(data)

    async def _handle_client(self):
        if self.options.stall_greeting:
            await asyncio.sleep(3600)
            return
        if self.options.greeting:
            await self.push(self.options.greeting)
            self.transport.close()
            return
        await super()._handle_client()

    async def smtp_EHLO(self, hostname):
        if self.options.refuse_ehlo:
            await self.push("502 5.5.1 EHLO not implemented")
            return
        await super().smtp_EHLO(hostname)


class SpoolHandler:
    """Accepts messages into the spool, refusing the recipients and failing the DATA commands it is told to."""

    def __init__(self, options):
        self.spool = options.spool
        self.rejected = {address.lower() for address in options.reject_rcpt}
        self.data_failures_left = options.fail_data_times
        self.count = len([name for name in os.listdir(self.spool) if name.endswith(".json")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_failures_left > 0:
            self.data_failures_left -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.count += 1
        number = self.count
        with open(os.path.join(self.spool, f"{number}.eml"), "wb") as message:
            message.write(envelope.original_content)
        auth_data = session.auth_data if isinstance(session.auth_data, dict) else {}
        sidecar = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "auth_mechanism": auth_data.get("mechanism"),
            "auth_login": auth_data.get("login"),
            "helo": session.host_name,
        }
        temporary = os.path.join(self.spool, f".{number}.json.tmp")
        with open(temporary, "w") as file:
            json.dump(sidecar, file)
        os.replace(temporary, os.path.join(self.spool, f"{number}.json"))
        return f"250 2.0.0 Ok: queued as NPQ{number:04d}"


def make_authenticator(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data={"mechanism": mechanism, "login": user})
        return AuthResult(success=False, handled=False)

    return authenticate


async def serve(options):
    os.makedirs(options.spool, exist_ok=True)
    handler = SpoolHandler(options)
    settings = {"hostname": "smtp-test.local", "ident": "NPQ test SMTP"}
    implicit_tls = None
    if options.starttls:
        settings["tls_context"] = server_tls_context(*options.starttls)
        settings["require_starttls"] = True
    if options.tls:
        implicit_tls = server_tls_context(*options.tls)
    if options.auth:
        offered = {name.strip().upper() for name in options.auth_mechanisms.split(",") if name.strip()}
        settings["authenticator"] = make_authenticator(options.auth)
        settings["auth_exclude_mechanism"] = [name for name in MECHANISMS if name not in offered]
        # Without any TLS the server offers AUTH in plaintext, so tests can check that clients refuse to use it.
        settings["auth_require_tls"] = bool(options.starttls or options.tls)
    else:
        settings["auth_exclude_mechanism"] = list(MECHANISMS)

    loop = asyncio.get_running_loop()
    # Handlers first: a test may send SIGTERM as soon as it has read the port.
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    server = await loop.create_server(
        lambda: RecordingSMTP(handler, options=options, loop=loop, **settings),
        host=options.host,
        port=options.port,
        ssl=implicit_tls,
        reuse_address=True,
    )
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    await stopping.wait()
    server.close()


def main():
    # A parent may start us with SIGTERM blocked or ignored (posix_spawn inherits both): restore the defaults.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    options = parse_arguments()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # aiosmtpd warns about its own deprecated Session.login_data on every AUTH; nothing for us to fix.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    asyncio.run(serve(options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
