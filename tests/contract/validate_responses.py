#!/usr/bin/env python3
"""Checks recorded API responses against the OpenAPI 3.1 contract.

    python3 tests/contract/validate_responses.py docs/api/openapi.yaml DIR

DIR holds recorded responses, one JSON file each (searched recursively):

    {"method": "POST", "path": "/v1/sync/push", "status": 200, "body": {...},
     "headers": {"Retry-After": "30"}}            # "headers" is optional

For each file the operation is found by method and path template (a query
string is ignored), the response by status (exact code, then "4XX"-style
ranges, then "default"), and the body is validated against the response's
application/json schema with Draft 2020-12, resolving $ref against the whole
document. When "headers" is given, documented required headers must be present
and their values must fit the header's schema.

The document itself is checked once: "openapi" starts with 3.1, every operation
has a 2xx response and a 4xx or default one, every $ref resolves, every schema
is a valid Draft 2020-12 schema, and every example fits its schema.

Prints one line per file and a last line "N passed, M failed". Exits 1 if any
file fails, if the document has a problem, or if DIR holds no files.

Needs only python3, python3-yaml and python3-jsonschema (4.10 or newer).
"""

import json
import os
import re
import sys
import warnings

import jsonschema
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

ROOT_URI = "urn:alliance-field-kit:openapi"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# ---------------------------------------------------------------------------
# JSON pointers and $ref


def escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_of(tokens):
    return "".join("/" + escape(t) for t in tokens)


def walk_pointer(document, pointer):
    """The value at a JSON pointer ("" or "/a/b"); raises LookupError."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise LookupError("pointer must start with '/'")
    value = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            if not token.isdigit() or int(token) >= len(value):
                raise LookupError(token)
            value = value[int(token)]
        elif isinstance(value, dict):
            if token not in value:
                raise LookupError(token)
            value = value[token]
        else:
            raise LookupError(token)
    return value


def ref_pointer(ref):
    """The JSON pointer of a local "#/..." reference, or None if it is not local."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    return ref[1:]


def follow(document, node, tokens):
    """Follows a chain of Reference Objects; returns (node, pointer tokens)."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        pointer = ref_pointer(node["$ref"])
        if pointer is None or pointer in seen:
            raise LookupError("cannot follow $ref %r" % node.get("$ref"))
        seen.add(pointer)
        node = walk_pointer(document, pointer)
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")] if pointer else []
    return node, tokens


# ---------------------------------------------------------------------------
# Validators with $ref resolved against the whole document


class SchemaChecker:
    """Makes Draft 2020-12 validators for schemas at a pointer in the document."""

    def __init__(self, document):
        self.document = document
        self._registry = None
        self._resolver = None
        try:  # jsonschema >= 4.18 resolves through the referencing library.
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            resource = Resource(contents=document, specification=DRAFT202012)
            self._registry = Registry().with_resource(uri=ROOT_URI, resource=resource)
        except ImportError:  # jsonschema 4.10 (Debian bookworm): RefResolver.
            self._resolver = jsonschema.RefResolver(base_uri=ROOT_URI, referrer=document)

    def validator(self, tokens):
        # A schema that only refers to the real one, so that every "#/..." inside
        # it resolves against the document, whatever its position.
        schema = {"$ref": ROOT_URI + "#" + pointer_of(tokens)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if self._registry is not None:
                return Draft202012Validator(schema, registry=self._registry)
            return Draft202012Validator(schema, resolver=self._resolver)


def location(error):
    out = "$"
    for part in error.absolute_path:
        out += "[%d]" % part if isinstance(part, int) else "." + str(part)
    return out


def describe(errors, shown=3):
    """One line for a list of jsonschema errors: the most relevant one first."""
    best = best_match(errors)
    rest = sorted((e for e in errors if e is not best), key=lambda e: location(e))
    parts = ["at %s: %s" % (location(e), e.message) for e in [best] + rest[: shown - 1]]
    text = "; ".join(parts)
    if len(errors) > shown:
        text += " (%d errors in all)" % len(errors)
    return text


# ---------------------------------------------------------------------------
# The document's own checks


def iter_nodes(node, tokens=()):
    yield node, list(tokens)
    if isinstance(node, dict):
        for key, value in node.items():
            yield from iter_nodes(value, tokens + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_nodes(value, tokens + (index,))


def operations(document):
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method]


def is_json_media(media_type):
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def json_media(content):
    if not isinstance(content, dict):
        return None, None
    for media_type, media in content.items():
        if is_json_media(media_type) and isinstance(media, dict):
            return media_type, media
    return None, None


def check_examples(document, checker, media, tokens, where, problems):
    """Every example of a media type or parameter fits its schema."""
    if not isinstance(media, dict) or "schema" not in media:
        return
    samples = []
    if "example" in media:
        samples.append(("example", media["example"]))
    for name, example in (media.get("examples") or {}).items():
        try:
            example, _ = follow(document, example, [])
        except LookupError:
            continue  # reported by the $ref check
        if isinstance(example, dict) and "value" in example:
            samples.append(("examples." + str(name), example["value"]))
    validator = checker.validator(tokens + ["schema"])
    for name, value in samples:
        try:
            errors = list(validator.iter_errors(value))
        except Exception as error:
            problems.append("%s %s cannot be validated: %s" % (where, name, type(error).__name__))
            continue
        if errors:
            problems.append("%s %s does not fit its schema: %s" % (where, name, describe(errors)))


def check_document(document, checker):
    """Returns a list of problems with the document (empty if it is sane)."""
    problems = []
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3.1"):
        problems.append("'openapi' is %r, not 3.1.x" % (version,))
    if not isinstance(document.get("paths"), dict) or not document["paths"]:
        problems.append("the document has no paths")

    # Every $ref resolves (only local references are allowed).
    for node, tokens in iter_nodes(document):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            pointer = ref_pointer(node["$ref"])
            where = pointer_of(tokens) or "/"
            if pointer is None:
                problems.append("%s: $ref %r is not a local reference" % (where, node["$ref"]))
                continue
            try:
                walk_pointer(document, pointer)
            except LookupError:
                problems.append("%s: $ref %r does not resolve" % (where, node["$ref"]))
    if problems:
        return problems  # the checks below would only repeat broken references

    # Every component schema is a valid Draft 2020-12 schema, and its examples fit.
    schemas = (document.get("components") or {}).get("schemas") or {}
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as error:
            problems.append("components.schemas.%s is not a valid schema: %s" % (name, error.message))
            continue
        if isinstance(schema, dict):
            validator = checker.validator(["components", "schemas", name])
            for index, value in enumerate(schema.get("examples") or []):
                errors = list(validator.iter_errors(value))
                if errors:
                    problems.append("components.schemas.%s examples[%d] does not fit: %s"
                                    % (name, index, describe(errors)))

    for path, method, operation in operations(document):
        label = "%s %s" % (method.upper(), path)
        base = ["paths", path, method]
        responses = operation.get("responses")
        if not isinstance(responses, dict) or not responses:
            problems.append("%s has no responses" % label)
            continue
        codes = [str(code).upper() for code in responses]
        if not any(code.startswith("2") for code in codes):
            problems.append("%s has no 2xx response" % label)
        if not any(code.startswith("4") or code == "DEFAULT" for code in codes):
            problems.append("%s has no 4xx or default response" % label)

        for code, response in responses.items():
            try:
                response, tokens = follow(document, response, base + ["responses", str(code)])
            except LookupError:
                continue
            if not isinstance(response, dict) or "description" not in response:
                problems.append("%s response %s has no description" % (label, code))
                continue
            media_type, media = json_media(response.get("content"))
            if media is not None:
                check_examples(document, checker, media, tokens + ["content", media_type],
                               "%s response %s" % (label, code), problems)

        body = operation.get("requestBody")
        if body is not None:
            try:
                body, tokens = follow(document, body, base + ["requestBody"])
            except LookupError:
                body = None
            if isinstance(body, dict):
                media_type, media = json_media(body.get("content"))
                if media is not None:
                    check_examples(document, checker, media, tokens + ["content", media_type],
                                   "%s request body" % label, problems)

        for index, parameter in enumerate(operation.get("parameters") or []):
            try:
                parameter, tokens = follow(document, parameter, base + ["parameters", index])
            except LookupError:
                continue
            if isinstance(parameter, dict):
                check_examples(document, checker, parameter, tokens,
                               "%s parameter %s" % (label, parameter.get("name")), problems)
    return problems


# ---------------------------------------------------------------------------
# Recorded responses


def template_regex(template):
    parts = re.split(r"(\{[^/{}]+\})", template)
    pattern = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p)
                      for p in parts)
    return re.compile("^" + pattern + "$")


def find_operation(document, method, path):
    """(template, operation) for a concrete path; literal templates win over templated ones."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    candidates = []
    for template, op_method, operation in operations(document):
        if op_method != method.lower():
            continue
        if template == path:
            return template, operation
        if "{" in template and template_regex(template).match(path):
            candidates.append((template.count("{"), template, operation))
    if candidates:
        candidates.sort(key=lambda c: c[0])
        return candidates[0][1], candidates[0][2]
    return None, None


def find_response(responses, status):
    """(key, response) documented for a status: exact, then "4XX", then "default"."""
    by_key = {str(key).upper(): key for key in responses}
    for key in (str(status), str(status)[0] + "XX", "DEFAULT"):
        if key in by_key:
            return by_key[key], responses[by_key[key]]
    return None, None


def header_value(schema, text):
    """A header's text as the JSON value its schema expects, as far as it can tell."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind == "integer" and re.fullmatch(r"-?\d+", text.strip()):
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    return text


def check_headers(document, checker, response, tokens, headers):
    recorded = {str(k).lower(): v for k, v in headers.items()}
    problems = []
    for name, header in (response.get("headers") or {}).items():
        try:
            header, header_tokens = follow(document, header, tokens + ["headers", name])
        except LookupError:
            continue
        if not isinstance(header, dict):
            continue
        if name.lower() not in recorded:
            if header.get("required"):
                problems.append("missing header %s" % name)
            continue
        if "schema" in header:
            value = header_value(header["schema"], str(recorded[name.lower()]))
            errors = list(checker.validator(header_tokens + ["schema"]).iter_errors(value))
            if errors:
                problems.append("header %s %r: %s" % (name, recorded[name.lower()], best_match(errors).message))
    return problems


def check_file(document, checker, filename):
    """Returns (passed, line)."""
    try:
        with open(filename, encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError) as error:
        return False, "cannot read: %s" % error
    if not isinstance(record, dict):
        return False, "not a JSON object"
    method, path, status = record.get("method"), record.get("path"), record.get("status")
    if not isinstance(method, str) or not isinstance(path, str):
        return False, "'method' and 'path' must be strings"
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        return False, "'status' must be an HTTP status code"
    label = "%s %s %d" % (method.upper(), path, status)

    template, operation = find_operation(document, method, path)
    if operation is None:
        return False, "%s: no documented operation" % label
    responses = operation.get("responses") or {}
    key, response = find_response(responses, status)
    if response is None:
        return False, "%s: status %d is not documented for %s %s (documented: %s)" % (
            label, status, method.upper(), template, ", ".join(str(k) for k in responses))
    try:
        response, tokens = follow(document, response, ["paths", template, method.lower(), "responses", str(key)])
    except LookupError as error:
        return False, "%s: %s" % (label, error)

    problems = []
    headers = record.get("headers")
    if headers is not None:
        if isinstance(headers, dict):
            problems += check_headers(document, checker, response, tokens, headers)
        else:
            problems.append("'headers' must be an object")

    media_type, media = json_media(response.get("content"))
    has_body = record.get("body") is not None
    if media is None:
        if response.get("content"):
            problems.append("the response has no application/json content")
        elif has_body:
            problems.append("a body, where the response documents none")
    elif not has_body:
        problems.append("no body, where the response documents %s" % media_type)
    elif "schema" in media:
        validator = checker.validator(tokens + ["content", media_type, "schema"])
        errors = list(validator.iter_errors(record["body"]))
        if errors:
            problems.append(describe(errors))

    if problems:
        return False, "%s (response %s): %s" % (label, key, "; ".join(problems))
    return True, "%s (response %s)" % (label, key)


def response_files(directory):
    found = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                found.append(os.path.join(root, name))
    return found


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print("usage: %s OPENAPI.yaml DIR" % os.path.basename(argv[0]), file=sys.stderr)
        return 0 if len(argv) == 2 and argv[1] in ("-h", "--help") else 2
    spec_path, directory = argv[1], argv[2]
    try:
        with open(spec_path, encoding="utf-8") as f:
            document = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as error:
        print("cannot read %s: %s" % (spec_path, error), file=sys.stderr)
        return 1
    if not isinstance(document, dict):
        print("%s is not an OpenAPI document" % spec_path, file=sys.stderr)
        return 1

    checker = SchemaChecker(document)
    doc_problems = check_document(document, checker)
    for problem in doc_problems:
        print("DOC FAIL %s: %s" % (spec_path, problem))

    if not os.path.isdir(directory):
        print("%s is not a directory" % directory, file=sys.stderr)
        files = []
    else:
        files = response_files(directory)
    passed = failed = 0
    for filename in files:
        try:
            ok, line = check_file(document, checker, filename)
        except Exception as error:  # e.g. a $ref the document cannot resolve
            ok, line = False, "cannot validate: %s: %s" % (type(error).__name__, str(error).splitlines()[0][:200])
        if ok:
            passed += 1
            print("OK   %s: %s" % (filename, line))
        else:
            failed += 1
            print("FAIL %s: %s" % (filename, line))
    if not files:
        print("no response files (*.json) in %s" % directory)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or doc_problems or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
