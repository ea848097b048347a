"""Generate ``tests/support/bot_api_spec.json``, the compact Bot API spec the fake Telegram checks against.

Regenerate after updating ``shared/telegram-bot-api/api.json``::

    .venv/bin/python scripts/generate_bot_api_spec.py [path/to/api.json]

The default input is ``../shared/telegram-bot-api/api.json`` relative to the repository root.
Tests never read ``shared/``: they load only the committed compact copy.

Output shape (keys sorted, one method or type per line so diffs stay readable)::

    {"methods": {"sendMessage": {"params": [{"name": ..., "required": ..., "types": [...]}, ...],
                                 "returns": [...]}, ...},
     "types": {"BotCommand": {"fields": [...]}, "BotCommandScope": {"subtypes": [...]}, ...},
     "version": "Bot API 10.1"}

A field that discriminates a union member (``"type": "must be chat"``, ``always "creator"``) also gets
``"const"``, parsed from its description, so the validator can tell union members apart.
"""

import json
import logging
import re
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
TARGET = REPO_ROOT / "tests" / "support" / "bot_api_spec.json"

# The discriminator value of a union member appears only in prose: 'must be chat', 'always "creator"'.
_CONST_RE = re.compile(r'(?:always [“"]([a-z0-9_]+)[”"]|must be ([a-z0-9_]+)$)')
_DISCRIMINATORS = ("type", "status", "source")


def _compact_field(field: dict, *, union_member: bool) -> dict:
    """Keep name, types and required; add const for a union member's discriminator."""
    out = {"name": field["name"], "required": bool(field["required"]), "types": list(field["types"])}
    if union_member and field["name"] in _DISCRIMINATORS:
        match = _CONST_RE.search(field["description"].strip().rstrip("."))
        if match:
            out["const"] = match.group(1) or match.group(2)
    return out


def compact_spec(api: dict) -> dict:
    """Reduce the scraped api.json to what request validation needs."""
    methods = {
        name: {
            "params": [_compact_field(f, union_member=False) for f in method.get("fields", [])],
            "returns": list(method.get("returns", [])),
        }
        for name, method in api["methods"].items()
    }
    types = {}
    for name, type_ in api["types"].items():
        entry: dict = {}
        if "fields" in type_:
            member = "subtype_of" in type_
            entry["fields"] = [_compact_field(f, union_member=member) for f in type_["fields"]]
        if "subtypes" in type_:
            entry["subtypes"] = list(type_["subtypes"])
        types[name] = entry
    return {"methods": methods, "types": types, "version": api["version"]}


def dump_compact(spec: dict) -> str:
    """Serialise with sorted keys, one method/type per line."""

    def block(mapping: dict) -> str:
        lines = [
            f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True, ensure_ascii=False)}"
            for k, v in sorted(mapping.items())
        ]
        return "{\n" + ",\n".join(lines) + "\n}"

    return (
        "{\n"
        f'"methods": {block(spec["methods"])},\n'
        f'"types": {block(spec["types"])},\n'
        f'"version": {json.dumps(spec["version"])}\n'
        "}\n"
    )


def main(argv: list[str]) -> int:
    """Read api.json (argv[1] or the default path) and write the compact spec."""
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    api = json.loads(source.read_text(encoding="utf-8"))
    spec = compact_spec(api)
    text = dump_compact(spec)
    assert json.loads(text) == spec  # the hand-rolled layout must stay valid JSON
    TARGET.write_text(text, encoding="utf-8")
    print(
        f"wrote {TARGET.relative_to(REPO_ROOT)}: {spec['version']}, "
        f"{len(spec['methods'])} methods, {len(spec['types'])} types"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
