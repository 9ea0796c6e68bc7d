#!/usr/bin/env python3
"""Checks that docs/api/openapi.yaml states every field limit the code enforces.

    python3 tests/contract/check_limits.py docs/api/openapi.yaml LIMITS.json

LIMITS.json is what dump_field_limits prints: a list of
{"message", "path", "max_length", "max_items"} from common/model/limits.hpp.
Each message maps to a schema; a path such as "lines[].pack_id" walks its
properties ("[]" steps into a list's items), following $ref. A string limit
must be the schema's maxLength (a list of strings: its items' maxLength), a
list limit its maxItems. Prints one line per mismatch and a last line
"N limits checked, M mismatched"; exits 1 on any mismatch.
"""

import json
import sys

import yaml

SCHEMAS = {
    "member": "Member",
    "event": "TrainingEvent",
    "attendance": "Attendance",
    "pack": "ResourcePack",
    "request": "ResourceRequest",
    "change": "Change",
    "enroll_request": "EnrollRequest",
    "enroll_response": "EnrollResponse",
    "health": "HealthResponse",
    "result": "ChangeResult",
    "error": "ErrorBody",
    "pulled_change": "PulledChange",
    "pull_response": "PullResponse",
    "push_response": "PushResponse",
}


def resolve(doc, schema):
    while isinstance(schema, dict) and "$ref" in schema and len(schema) == 1:
        ref = schema["$ref"]
        node = doc
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def lookup(doc, schema, key):
    """A keyword of a property, looking through a $ref when the property lacks it."""
    if key in schema:
        return schema[key]
    if "$ref" in schema:
        return resolve(doc, {"$ref": schema["$ref"]}).get(key)
    return None


def walk(doc, message, path):
    schema = resolve(doc, doc["components"]["schemas"][SCHEMAS[message]])
    segments = path.split(".")
    for i, segment in enumerate(segments):
        items = segment.endswith("[]")
        name = segment[:-2] if items else segment
        prop = schema.get("properties", {}).get(name)
        if prop is None:
            raise KeyError(f"{SCHEMAS[message]} has no property '{name}'")
        if i == len(segments) - 1:
            return prop
        schema = resolve(doc, prop)
        if items:
            schema = resolve(doc, schema["items"])


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    with open(argv[2], encoding="utf-8") as f:
        limits = json.load(f)
    mismatched = 0
    for limit in limits:
        where = f"{limit['message']}.{limit['path']}"
        try:
            prop = walk(doc, limit["message"], limit["path"])
        except KeyError as e:
            print(f"MISSING {where}: {e}")
            mismatched += 1
            continue
        problems = []
        if limit["max_items"]:
            if lookup(doc, prop, "maxItems") != limit["max_items"]:
                problems.append(f"maxItems {lookup(doc, prop, 'maxItems')} != {limit['max_items']}")
            if limit["max_length"]:
                items = resolve(doc, prop.get("items", {}))
                if lookup(doc, items, "maxLength") != limit["max_length"]:
                    problems.append(
                        f"items maxLength {lookup(doc, items, 'maxLength')} != {limit['max_length']}"
                    )
        elif lookup(doc, prop, "maxLength") != limit["max_length"]:
            problems.append(f"maxLength {lookup(doc, prop, 'maxLength')} != {limit['max_length']}")
        for p in problems:
            print(f"MISMATCH {where}: {p}")
        mismatched += 1 if problems else 0
    print(f"{len(limits)} limits checked, {mismatched} mismatched")
    return 1 if mismatched or not limits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
