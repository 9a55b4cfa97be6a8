#!/usr/bin/env python3
"""Checks an AsyncAPI 3.0.0 document written in YAML (the suite's docs/asyncapi.yaml).

1. Loads the YAML with PyYAML, refusing duplicate keys and values JSON cannot hold (dates, binary, non-string keys),
   which would mean the emitter failed to quote something.
2. Validates it against the official AsyncAPI 3.0.0 JSON Schema (draft-07, with formats) with python-jsonschema. That
   file bundles its sub-schemas under "definitions", each keyed by its $id; they are registered by that id, so no
   reference is ever fetched from the network.
3. Checks what the schema cannot: every local $ref resolves; an operation's messages belong to its channel and its
   reply's messages to the reply channel; each message example validates against the message's payload and headers
   schemas.

Every problem is printed with the JSON path where it is. Exit status: 0 valid, 1 problems found, 2 usage or a file or
package missing.

  check-asyncapi.py [--schema FILE] [--emit-json FILE] [--parse-only] DOCUMENT

--emit-json writes the loaded document as JSON (sorted keys), so a caller can compare it with what it generated;
--parse-only stops after loading (a YAML-to-JSON check of the emitter).
"""

import argparse
import json
import os
import sys

try:
    import yaml
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import SchemaError, relevance
    from referencing import Registry
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT7
except ImportError as error:  # pragma: no cover - depends on the environment
    sys.stderr.write(f"check-asyncapi: {error}; run it with the python of scripts/ensure-python.sh\n")
    sys.exit(2)

DEFAULT_SCHEMA = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "schemas", "asyncapi-3.0.0.json"
)
MESSAGE_LIMIT = 300


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a mapping with the same key twice (PyYAML keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def json_path(parts):
    """$.channels['a.b'].messages[0] from a sequence of keys and indexes."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.replace("_", "a").isalnum() and not part[:1].isdigit():
            text += f".{part}"
        else:
            text += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return text


def non_json_values(value, path=()):
    """Where the loaded YAML holds something JSON cannot: a non-string key, a date, bytes, a non-finite number."""
    if isinstance(value, dict):
        for key, member in value.items():
            if not isinstance(key, str):
                yield path, f"key {key!r} was read as {type(key).__name__}, not a string"
            else:
                yield from non_json_values(member, path + (key,))
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from non_json_values(element, path + (index,))
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            yield path, f"{value!r} is not a JSON number"
    elif value is not None and not isinstance(value, (str, int, bool)):
        yield path, f"was read as {type(value).__name__}, not a JSON value"


def shorten(text):
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def build_validator(schema_path):
    with open(schema_path, encoding="utf-8") as file:
        schema = json.load(file)

    def refuse(uri):
        raise NoSuchResource(ref=uri)

    resources = []
    for key, definition in schema.get("definitions", {}).items():
        resource = DRAFT7.create_resource(definition)
        uris = {key, key.rstrip("#")}
        if isinstance(definition, dict) and isinstance(definition.get("$id"), str):
            uris |= {definition["$id"], definition["$id"].rstrip("#")}
        resources.extend((uri, resource) for uri in sorted(uris))
    resources.append((schema["$id"], DRAFT7.create_resource(schema)))
    registry = Registry(retrieve=refuse).with_resources(resources)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


def leaf_errors(error):
    """The errors at the bottom of a oneOf's or anyOf's tree of alternatives."""
    for cause in error.context or []:
        if cause.context:
            yield from leaf_errors(cause)
        else:
            yield cause


def schema_problems(validator, document):
    """Each validation error, deepest first within a oneOf/anyOf, with its JSON path."""
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        # A oneOf's or anyOf's own message repeats the whole instance; its causes below say more.
        headline = f"matches none of the {error.validator} alternatives" if error.context else shorten(error.message)
        text = f"{json_path(error.absolute_path)}: {headline} [{error.validator}]"
        # Within a oneOf or anyOf, the deepest failures say most about what is wrong.
        causes = sorted(leaf_errors(error), key=lambda e: (-len(e.absolute_path), relevance(e)))[:3]
        for cause in causes:
            text += f"\n    because {json_path(cause.absolute_path)}: {shorten(cause.message)} [{cause.validator}]"
        problems.append(text)
    return problems


def resolve_pointer(document, pointer):
    """The node a local $ref ('#/a/b~1c') points to, or raise KeyError."""
    if pointer == "#":
        return document
    if not pointer.startswith("#/"):
        raise KeyError(pointer)
    node = document
    for raw in pointer[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(pointer)
    return node


def references(value, path=()):
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            yield path, value["$ref"]
        for key, member in value.items():
            yield from references(member, path + (key,))
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from references(element, path + (index,))


def document_problems(document):
    """What the AsyncAPI specification requires beyond its JSON Schema, and the examples against their schemas."""
    problems = []
    for path, ref in references(document):
        if ref.startswith("#"):
            try:
                resolve_pointer(document, ref)
            except (KeyError, IndexError, ValueError):
                problems.append(f"{json_path(path)}: $ref {ref} points at nothing in the document")

    for name, operation in sorted((document.get("operations") or {}).items()):
        if not isinstance(operation, dict):
            continue
        channel = (operation.get("channel") or {}).get("$ref", "")
        for index, message in enumerate(operation.get("messages") or []):
            ref = message.get("$ref", "") if isinstance(message, dict) else ""
            if not ref.startswith(channel + "/messages/"):
                problems.append(
                    f"{json_path(('operations', name, 'messages', index))}: {ref} is not a message of {channel}"
                )
        reply = operation.get("reply")
        if isinstance(reply, dict) and "channel" in reply:
            reply_channel = reply["channel"].get("$ref", "")
            for index, message in enumerate(reply.get("messages") or []):
                ref = message.get("$ref", "") if isinstance(message, dict) else ""
                if not ref.startswith(reply_channel + "/messages/"):
                    problems.append(
                        f"{json_path(('operations', name, 'reply', 'messages', index))}: {ref} is not a message "
                        f"of {reply_channel}"
                    )
            if "address" in reply:
                try:
                    address = resolve_pointer(document, reply_channel).get("address")
                except (KeyError, IndexError, ValueError, AttributeError):
                    address = None
                if address is not None:
                    problems.append(
                        f"{json_path(('operations', name, 'reply'))}: a reply with an address needs a channel whose "
                        "address is null"
                    )

    messages = ((document.get("components") or {}).get("messages")) or {}
    for name, message in sorted(messages.items()):
        if not isinstance(message, dict):
            continue
        for index, example in enumerate(message.get("examples") or []):
            for part in ("payload", "headers"):
                if part not in example or part not in message:
                    continue
                schema = message[part]
                if isinstance(schema, dict) and "$ref" in schema:
                    try:
                        schema = resolve_pointer(document, schema["$ref"])
                    except (KeyError, IndexError, ValueError):
                        continue
                try:
                    Draft7Validator.check_schema(schema)
                except SchemaError:
                    continue  # the schema itself is wrong, which the AsyncAPI schema reports
                validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
                for error in sorted(validator.iter_errors(example[part]), key=lambda e: [str(p) for p in e.path]):
                    where = json_path(("components", "messages", name, "examples", index, part) + tuple(error.path))
                    problems.append(f"{where}: {shorten(error.message)} (the example breaks the {part} schema)")
    return problems


def main():
    parser = argparse.ArgumentParser(description="Check an AsyncAPI 3.0.0 YAML document.")
    parser.add_argument("document")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="the AsyncAPI 3.0.0 JSON Schema")
    parser.add_argument("--emit-json", metavar="FILE", help="write the loaded document as JSON to FILE")
    parser.add_argument("--parse-only", action="store_true", help="only load the YAML (and write --emit-json)")
    arguments = parser.parse_args()

    try:
        with open(arguments.document, encoding="utf-8") as file:
            document = yaml.load(file, Loader=UniqueKeyLoader)
    except OSError as error:
        sys.stderr.write(f"check-asyncapi: cannot read {arguments.document}: {error.strerror}\n")
        return 2
    except yaml.YAMLError as error:
        print(f"{arguments.document}: not valid YAML: {error}")
        return 1

    problems = [f"{json_path(path)}: {text}" for path, text in non_json_values(document)]
    if arguments.emit_json and not problems:
        with open(arguments.emit_json, "w", encoding="utf-8") as file:
            json.dump(document, file, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False)
            file.write("\n")

    if not arguments.parse_only and not problems:
        try:
            validator = build_validator(arguments.schema)
        except OSError as error:
            sys.stderr.write(f"check-asyncapi: cannot read the schema {arguments.schema}: {error.strerror}\n")
            return 2
        problems += schema_problems(validator, document)
        problems += document_problems(document)

    for problem in problems:
        print(problem)
    if problems:
        print(f"{arguments.document}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        return 1
    if arguments.parse_only:
        print(f"{arguments.document}: YAML read as JSON")
    else:
        counts = {key: len(document.get(key) or {}) for key in ("channels", "operations")}
        messages = ((document.get("components") or {}).get("messages")) or {}
        examples = sum(len(message.get("examples") or []) for message in messages.values() if isinstance(message, dict))
        print(
            f"{arguments.document}: valid AsyncAPI {document.get('asyncapi')} ({counts['channels']} channels, "
            f"{counts['operations']} operations, {len(messages)} messages, {examples} examples checked against "
            "their schemas)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
