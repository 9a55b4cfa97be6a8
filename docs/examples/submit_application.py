#!/usr/bin/env python3
"""Submit an NPQ application as a registration front end would, and follow it to its decision.

The worked example of docs/integrating.md. It asks which cohort is open (the query cohort.list),
submits an application (the command application.submit), reads the service's reply
(application.received, or message.rejected naming each field at fault) and waits for the event
application.submitted, which carries the funding decision. The notifications service then emails
the applicant.

Against `make run` (its broker and user by default):

    PYTHON=$(scripts/ensure-python.sh)      # a Python with pika 1.3
    $PYTHON docs/examples/submit_application.py --mail-drop .run/mail

Settings, from the environment:
    NPQ_AMQP_URL        the broker: amqp://user:password@host:port/vhost, or amqps://... for TLS
                        (default: make run's broker, amqp://guest:guest@127.0.0.1:5672/)
    NPQ_AMQP_CA_FILE    amqps: PEM certificate authorities that signed the broker's certificate
    NPQ_AMQP_CERT_FILE  amqps: a PEM client certificate, if the broker asks for one ...
    NPQ_AMQP_KEY_FILE   ... and its private key

Exit status: 0 decided (and, with --mail-drop, the email found); 1 refused by the service;
2 no cohort open; 3 nothing came back in time, or the broker did not take the message.
"""

import argparse
import email
import email.policy
import json
import os
import pathlib
import ssl
import sys
import time
import uuid
from datetime import datetime, timezone

import pika
import pika.exceptions

# make run's development broker: every service and tool logs in as guest, on the virtual host /.
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/"

APP_ID = "registration-example"  # who we are: the AMQP app_id and the CloudEvents source
COURSE = "npq-headship"
APPLICANT = {"fullName": "Alex Morgan", "email": "alex.morgan@example.sch.uk", "trn": "1234567"}
WORKPLACE = {
    "worksIn": "england",
    "workSetting": "a_school",
    "institution": {"urn": "100101"},  # Ashcombe Primary School, in the schools register
    "employmentRole": "Deputy headteacher",
}


def connect():
    """Connects to NPQ_AMQP_URL (TLS for amqps://); returns the connection and the user name."""
    parameters = pika.URLParameters(os.environ.get("NPQ_AMQP_URL", DEFAULT_URL))
    if parameters.ssl_options is not None:
        # Verify the broker's certificate against our CA file (else the system's roots), and
        # present a client certificate when one is configured.
        context = ssl.create_default_context(cafile=os.environ.get("NPQ_AMQP_CA_FILE"))
        if os.environ.get("NPQ_AMQP_CERT_FILE"):
            context.load_cert_chain(
                os.environ["NPQ_AMQP_CERT_FILE"], os.environ.get("NPQ_AMQP_KEY_FILE"))
        parameters.ssl_options = pika.SSLOptions(context, server_hostname=parameters.host)
    return pika.BlockingConnection(parameters), parameters.credentials.username


def publish(channel, user, message_type, body, reply_to):
    """Publishes a command or query to npq.commands with the suite's envelope; returns its id.

    `message_type` is the type without its `npq.` prefix, e.g. "application.submit.v1", which
    is also the routing key. The channel is in confirm mode and the message mandatory, so this
    returns once the broker has the message, and raises when no service queue would receive it.
    """
    message_id = str(uuid.uuid4())  # keep it: a re-send of the same message must reuse it
    now = datetime.now(timezone.utc)
    properties = pika.BasicProperties(
        message_id=message_id,
        correlation_id=message_id,  # a new conversation: everything it causes carries this id
        type=f"npq.{message_type}",
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,  # 2
        timestamp=int(now.timestamp()),
        app_id=APP_ID,
        user_id=user,  # must be the user we logged in as: the broker refuses anything else
        reply_to=reply_to,
        headers={
            "cloudEvents_specversion": "1.0",
            "cloudEvents_id": message_id,
            "cloudEvents_source": f"urn:npq:app:{APP_ID}",
            "cloudEvents_type": f"npq.{message_type}",
            "cloudEvents_time": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "traceparent": f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
        },
    )
    channel.basic_publish(
        exchange="npq.commands",
        routing_key=message_type,
        body=json.dumps(body).encode("utf-8"),
        properties=properties,
        mandatory=True,
    )
    return message_id


def wait_for(connection, inbox, matches, timeout):
    """Waits for a message in `inbox` that `matches(properties, body)`; None after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        for properties, body in inbox:
            if matches(properties, body):
                inbox.remove((properties, body))
                return properties, body
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        connection.process_data_events(time_limit=min(0.2, remaining))


def refusal(body):
    """A message.rejected body for a person: the reason, then each field and its rule."""
    lines = [f"refused by {body['service']}: {body['reason']}: {body.get('detail', '')}"]
    for error in body.get("fieldErrors", []):
        lines.append(f"  {error['field']}: {error['message']} [{error['rule']}]")
    return "\n".join(lines)


def find_email(folder, application_id, timeout):
    """The mail-drop file (a whole email) that quotes `application_id`, waiting for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(pathlib.Path(folder).glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if application_id in message.get_body(preferencelist=("plain",)).get_content():
                return path, message
        time.sleep(0.2)
    return None, None


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--mail-drop", metavar="DIR", help="wait for the email in this folder")
    arguments.add_argument("--timeout", type=float, default=30, help="seconds to wait for answers")
    options = arguments.parse_args()
    started = time.monotonic()

    def say(text):
        print(f"[{time.monotonic() - started:5.1f}s] {text}", flush=True)

    connection, user = connect()
    channel = connection.channel()
    channel.confirm_delivery()  # basic_publish now waits for the broker's ack (or raises)
    say(f"connected as {user}")

    # A private queue for replies and events: named by the broker (amq.gen-...), exclusive to
    # this connection, deleted when it closes. Replies come to it through reply_to; events
    # through its bindings to npq.events.
    queue = channel.queue_declare(queue="", exclusive=True).method.queue
    for routing_key in ("application.submitted.v1", "message.rejected.v1"):
        channel.queue_bind(queue=queue, exchange="npq.events", routing_key=routing_key)
    inbox = []

    def received(_channel, _method, properties, body):
        inbox.append((properties, json.loads(body)))

    channel.basic_consume(queue=queue, on_message_callback=received, auto_ack=True)

    # 1. A query: which cohorts are open for registration today, and who offers the course?
    query_id = publish(channel, user, "cohort.list.v1", {"registration": "open"}, reply_to=queue)
    reply = wait_for(connection, inbox, lambda p, _: p.correlation_id == query_id, options.timeout)
    if reply is None:
        say("no answer to cohort.list: is the suite running (make run)?")
        return 3
    offers = [
        (entry["cohort"]["cohort"], offering["leadProvider"])
        for entry in reply[1]["cohorts"]
        for offering in entry["offerings"]
        if offering["course"] == COURSE and offering["offered"]
    ]
    if not offers:
        say(f"no cohort open on {reply[1]['on']} offers {COURSE}: "
            "see 'No cohort open?' in docs/integrating.md")
        return 2
    cohort, provider = offers[0]
    say(f"cohort {cohort} is open; {provider} offers {COURSE} in it")

    # 2. The command, with reply_to: the answer is application.received or message.rejected.
    application = {
        "applicant": APPLICANT,
        "course": COURSE,
        "leadProvider": provider,
        "cohort": cohort,
        "workplace": WORKPLACE,
    }
    try:
        submit_id = publish(channel, user, "application.submit.v1", application, reply_to=queue)
    except pika.exceptions.UnroutableError:
        say("returned: no queue is bound for application.submit.v1; is npq-applications running?")
        return 3
    except pika.exceptions.NackError:
        say("the broker could not take the message: send it again, with the same message_id")
        return 3
    say(f"published application.submit.v1 as message {submit_id}: confirmed by the broker")

    def answers_submit(properties, body):
        if properties.type == "npq.message.rejected.v1":  # the reply, or the event
            return body.get("originalMessageID") == submit_id
        return (properties.type == "npq.application.received.v1"
                and properties.correlation_id == submit_id)

    answer = wait_for(connection, inbox, answers_submit, options.timeout)
    if answer is None:
        say("no answer to application.submit in time")
        return 3
    properties, body = answer
    if properties.type == "npq.message.rejected.v1":
        say(refusal(body))
        return 1
    application_id = body["applicationID"].lower()
    say(f"reply {properties.type}: application {application_id}")

    # 3. The event that follows once npq-eligibility has decided the funding.
    decided = wait_for(
        connection,
        inbox,
        lambda p, b: (p.type == "npq.application.submitted.v1"
                      and b["applicationID"].lower() == application_id),
        options.timeout,
    )
    if decided is None:
        say("application.submitted did not arrive in time")
        return 3
    funding = decided[1]["funding"]
    say(f"event application.submitted.v1: funding {funding['status']}: {funding['explanation']}")
    connection.close()

    # 4. Only on a development machine: the notifications service writes the email to a folder.
    if not options.mail_drop:
        say(f"an email to {APPLICANT['email']} is on its way (make run: a .eml file in .run/mail)")
        return 0
    path, message = find_email(options.mail_drop, application_id, options.timeout)
    if path is None:
        say(f"no email quoting application {application_id} in {options.mail_drop}")
        return 3
    say(f"email to {message['To']}, \"{message['Subject']}\": {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
