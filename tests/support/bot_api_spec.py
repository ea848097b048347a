"""Check Bot API requests against the committed spec copy (``bot_api_spec.json``) and Telegram's limits.

python-telegram-bot sends form-urlencoded (or multipart) bodies in which every non-string value is
``json.dumps``-ed and strings are raw, so each value is decoded according to its field's types first.
The problems are the texts the fake server answers with (after ``Bad Request: ``); where Telegram's own
wording is known (``message is too long``, ``BUTTON_DATA_INVALID``...) that exact wording is used.
"""

import functools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.tg_html import HtmlParseError, parse_html, strip_outer_whitespace

logger = logging.getLogger(__name__)

SPEC_PATH = Path(__file__).with_name("bot_api_spec.json")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
PARSE_MODES = ("html", "markdownv2", "markdown")
# Button fields that are not the button's action (the spec: "exactly one of the fields other than ...").
_BUTTON_NON_ACTION = frozenset({"text", "icon_custom_emoji_id", "style"})
_SCALARS = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part (an InputFile upload)."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Problem:
    """One spec or limit violation; ``description`` is Telegram's exact text when it is known."""

    message: str
    description: str | None = None

    @property
    def telegram_description(self) -> str:
        """What follows "Bad Request: " in the fake server's answer."""
        return self.description or self.message


@dataclass
class CheckedRequest:
    """A request after decoding: typed params, uploaded files and problems found."""

    method: str
    params: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@functools.cache
def load_spec() -> dict:
    """The compact spec, loaded once per process."""
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def method_params(method: str) -> dict[str, dict] | None:
    """Param name -> param spec, or None for an unknown method."""
    entry = load_spec()["methods"].get(method)
    if entry is None:
        return None
    return {p["name"]: p for p in entry["params"]}


def suggest_method(method: str) -> str | None:
    """The canonical name for a wrongly-cased method name (the real API is case-insensitive)."""
    lowered = method.lower()
    return next((name for name in load_spec()["methods"] if name.lower() == lowered), None)


# ---------------------------------------------------------------- value checking


class _ValueChecker:
    """Recursive type check of decoded values; each call returns its own problem list."""

    def __init__(self, attachments: frozenset[str] = frozenset()):
        self.types = load_spec()["types"]
        self.attachments = attachments

    def check_any(self, value: Any, types: list[str], path: str) -> list[Problem]:
        """Value must match one of ``types``; report the closest candidate's problems."""
        candidates = []
        for type_ in types:
            problems = self.check(value, type_, path)
            if not problems:
                return []
            candidates.append((self.affinity(value, type_), type_, problems))
        if len(candidates) == 1:
            return candidates[0][2]
        best = max(candidates, key=lambda c: c[0])
        if best[0] > 0:
            return best[2]
        return [Problem(f"{path} must be {' or '.join(types)}, got {_short(value)}")]

    def affinity(self, value: Any, type_: str) -> int:
        """How plausibly ``value`` was meant as ``type_`` (to pick which error to report)."""
        while type_.startswith("Array of ") and isinstance(value, list) and value:
            type_, value = type_[len("Array of ") :], value[0]
        if not isinstance(value, dict) or type_ in _SCALARS:
            return 0
        spec = self.types.get(type_, {})
        if "subtypes" in spec:
            return max((self.affinity(value, t) for t in spec["subtypes"]), default=0)
        names = {f["name"] for f in spec.get("fields", [])}
        const_hit = any(f.get("const") and value.get(f["name"]) == f["const"] for f in spec.get("fields", []))
        return len(names & value.keys()) + (100 if const_hit else 0)

    def check(self, value: Any, type_: str, path: str) -> list[Problem]:
        """Check one value against one type string."""
        if type_.startswith("Array of "):
            if not isinstance(value, list):
                return [Problem(f"{path} must be an array ({type_}), got {_short(value)}")]
            inner = type_[len("Array of ") :]
            return [p for i, item in enumerate(value) for p in self.check(item, inner, f"{path}[{i}]")]
        scalar = self.check_scalar(value, type_, path)
        if scalar is not None:
            return scalar
        spec = self.types.get(type_)
        if spec is None:
            return [Problem(f"{path}: spec has no type {type_}")]
        if "subtypes" in spec:
            return self.check_union(value, type_, spec["subtypes"], path)
        return self.check_object(value, type_, spec, path)

    def check_scalar(self, value: Any, type_: str, path: str) -> list[Problem] | None:
        """Problems for a scalar type, or None when ``type_`` is not a scalar."""
        ok: bool
        if type_ == "Integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif type_ == "Float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif type_ == "Boolean":
            ok = isinstance(value, bool)
        elif type_ == "String":
            ok = isinstance(value, str)
        elif type_ == "InputFile":
            ok = isinstance(value, UploadedFile) or (
                isinstance(value, str) and value.removeprefix("attach://") in self.attachments
            )
        else:
            return None
        return [] if ok else [Problem(f"{path} must be {type_}, got {_short(value)}")]

    def check_union(self, value: Any, type_: str, subtypes: list[str], path: str) -> list[Problem]:
        """A union accepts any member; a discriminator field (type/status/source) picks the member."""
        if isinstance(value, dict):
            for subtype in subtypes:
                for f in self.types.get(subtype, {}).get("fields", []):
                    if f.get("const") is not None and value.get(f["name"]) == f["const"]:
                        return self.check(value, subtype, path)
            disc = [f for s in subtypes for f in self.types.get(s, {}).get("fields", []) if f.get("const")]
            if disc:
                allowed = sorted({f["const"] for f in disc})
                key = disc[0]["name"]
                return [Problem(f"{path}.{key} must be one of {allowed} for {type_}, got {value.get(key)!r}")]
        return self.check_any(value, subtypes, path)

    def check_object(self, value: Any, type_: str, spec: dict, path: str) -> list[Problem]:
        """Fields known, required ones present, each typed right; then the type's own limits."""
        if not isinstance(value, dict):
            return [Problem(f"{path} must be a JSON object ({type_}), got {_short(value)}")]
        fields = {f["name"]: f for f in spec.get("fields", [])}
        problems = []
        if fields:  # types without fields (CallbackGame) accept any object
            problems += [Problem(f"{path}: unknown field {k!r} for {type_}") for k in value if k not in fields]
            problems += [
                Problem(f"{path}: missing required field {n!r} of {type_}")
                for n, f in fields.items()
                if f["required"] and n not in value
            ]
        for name, item in value.items():
            if name in fields:
                problems += self.check_any(item, fields[name]["types"], f"{path}.{name}")
                const = fields[name].get("const")
                if const is not None and item != const:
                    problems.append(Problem(f"{path}.{name} must be {const!r} for {type_}, got {item!r}"))
        rule = _TYPE_RULES.get(type_)
        if rule is not None and not problems:
            problems += rule(value, path)
        elif "caption" in value and type_.startswith("InputMedia") and not problems:
            problems += _caption_problems(value.get("caption"), value.get("parse_mode"), f"{path}.caption")
        return problems


def _short(value: Any) -> str:
    """A short repr for error messages."""
    if isinstance(value, UploadedFile):
        return f"uploaded file {value.filename!r}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- Telegram limits


def _button_rule(button: dict, path: str) -> list[Problem]:
    """Exactly one action field besides text; callback_data is 1-64 bytes."""
    problems = []
    actions = [k for k in button if k not in _BUTTON_NON_ACTION]
    if not actions:
        problems.append(
            Problem(
                f"{path}: inline keyboard button {button.get('text')!r} has no action field",
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            )
        )
    elif len(actions) > 1:
        problems.append(Problem(f"{path}: inline keyboard button has several action fields {actions}"))
    data = button.get("callback_data")
    if isinstance(data, str) and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        size = len(data.encode("utf-8"))
        problems.append(Problem(f"{path}.callback_data is {size} bytes, Telegram allows 1-64", "BUTTON_DATA_INVALID"))
    return problems


def _bot_command_rule(command: dict, path: str) -> list[Problem]:
    """command matches ^[a-z0-9_]{1,32}$; description is 1-256 characters."""
    problems = []
    if not COMMAND_RE.match(command["command"]):
        problems.append(
            Problem(f"{path}.command {command['command']!r} must match ^[a-z0-9_]{{1,32}}$", "BOT_COMMAND_INVALID")
        )
    if not 1 <= len(command["description"]) <= 256:
        problems.append(Problem(f"{path}.description must be 1-256 characters, got {len(command['description'])}"))
    return problems


_TYPE_RULES = {"InlineKeyboardButton": _button_rule, "BotCommand": _bot_command_rule}


def parse_formatted(text: str, parse_mode: str | None, entities: list | None = None) -> tuple[str, list[dict]]:
    """Plain text and entities as Telegram stores them; raises HtmlParseError for bad HTML."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, parsed = parse_html(text)
    else:
        # Markdown modes are not parsed (the raw text over-counts slightly, never under-counts).
        plain, parsed = text, list(entities or [])
    return strip_outer_whitespace(plain, parsed)


def _parse_mode_problems(parse_mode: Any, path: str) -> list[Problem]:
    """parse_mode must be HTML, MarkdownV2 or Markdown (case-insensitive, like the server)."""
    if parse_mode is None or (isinstance(parse_mode, str) and parse_mode.lower() in PARSE_MODES):
        return []
    return [Problem(f"{path}: unsupported parse_mode {parse_mode!r}", "unsupported parse_mode")]


def _text_problems(text: Any, parse_mode: Any, path: str) -> list[Problem]:
    """Message text: valid markup, 1-4096 characters after entity parsing."""
    if not isinstance(text, str):
        return []
    problems = _parse_mode_problems(parse_mode, path.replace("text", "parse_mode"))
    if problems:
        return problems
    try:
        plain, _ = parse_formatted(text, parse_mode)
    except HtmlParseError as exc:
        return [Problem(f"can't parse entities: {exc}", f"can't parse entities: {exc}")]
    if not plain:
        return [Problem("message text is empty")]
    if len(plain) > MAX_TEXT:
        return [
            Problem(
                f"message is too long ({len(plain)} characters after entity parsing, max 4096)",
                "message is too long",
            )
        ]
    return []


def _caption_problems(caption: Any, parse_mode: Any, path: str) -> list[Problem]:
    """Caption: valid markup, at most 1024 characters after entity parsing."""
    if not isinstance(caption, str):
        return []
    problems = _parse_mode_problems(parse_mode, path)
    if problems:
        return problems
    try:
        plain, _ = parse_formatted(caption, parse_mode)
    except HtmlParseError as exc:
        return [Problem(f"can't parse entities: {exc}", f"can't parse entities: {exc}")]
    if len(plain) > MAX_CAPTION:
        return [
            Problem(
                f"{path} is {len(plain)} characters after entity parsing, max 1024",
                "message caption is too long",
            )
        ]
    return []


def _method_rules(method: str, params: dict[str, Any]) -> list[Problem]:
    """Conditional requirements and limits that live only in the spec's prose."""
    problems: list[Problem] = []
    if method.startswith("editMessage") or method == "stopMessageLiveLocation":
        has_inline = "inline_message_id" in params
        if not has_inline and not ("chat_id" in params and "message_id" in params):
            problems.append(Problem("chat_id and message_id are required when inline_message_id is not specified"))
    if method == "editMessageText" and "text" not in params and "rich_message" not in params:
        problems.append(Problem("editMessageText needs text (or rich_message)", "message text is empty"))
    if method in ("sendMessage", "editMessageText"):
        problems += _text_problems(params.get("text"), params.get("parse_mode"), "text")
    if "caption" in params:
        problems += _caption_problems(params["caption"], params.get("parse_mode"), "caption")
    if method == "answerCallbackQuery" and isinstance(params.get("text"), str):
        if len(params["text"]) > MAX_CALLBACK_ANSWER:
            problems.append(Problem(f"answerCallbackQuery text is {len(params['text'])} characters, max 200"))
    if method == "setMyCommands" and isinstance(params.get("commands"), list):
        if len(params["commands"]) > MAX_COMMANDS:
            problems.append(Problem(f"setMyCommands got {len(params['commands'])} commands, max 100"))
    if method == "sendMediaGroup" and isinstance(params.get("media"), list):
        if not 2 <= len(params["media"]) <= 10:
            problems.append(Problem(f"sendMediaGroup media must include 2-10 items, got {len(params['media'])}"))
    return problems


# ---------------------------------------------------------------- requests


def _decode(name: str, raw: Any, types: list[str], checker: _ValueChecker) -> Any:
    """Decode a form value: JSON for non-string types, the raw string for String fields."""
    if not isinstance(raw, str):
        return raw  # already typed (JSON body) or an uploaded file
    non_string = [t for t in types if t not in ("String", "InputFile")]
    if not non_string:
        return raw
    try:
        decoded = json.loads(raw)
    except ValueError:
        return raw
    if "String" not in types or not checker.check_any(decoded, non_string, name):
        return decoded
    return raw


def _attach_refs(value: Any) -> set[str]:
    """Names referenced as attach://<name> anywhere inside a decoded value."""
    if isinstance(value, str):
        return {value.removeprefix("attach://")} if value.startswith("attach://") else set()
    if isinstance(value, dict):
        return set().union(*(_attach_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_attach_refs(v) for v in value))
    return set()


def check_request(method: str, params: dict[str, Any]) -> CheckedRequest:
    """Decode and validate one request; unknown methods get a single problem."""
    fields = method_params(method)
    if fields is None:
        hint = suggest_method(method)
        extra = f" (did you mean {hint!r}? method names are case-sensitive here)" if hint else ""
        return CheckedRequest(method, dict(params), [Problem(f"unknown method {method!r}{extra}", "method not found")])
    uploads = frozenset(k for k, v in params.items() if isinstance(v, UploadedFile))
    checker = _ValueChecker(uploads)
    decoded = {k: _decode(k, v, fields[k]["types"], checker) if k in fields else v for k, v in params.items()}
    referenced = set().union(*(_attach_refs(v) for v in decoded.values())) if decoded else set()
    problems = [
        Problem(f"unknown parameter {k!r}")
        for k in params
        if k not in fields and not (k in uploads and k in referenced)
    ]
    problems += [
        Problem(f"missing required parameter {n!r}") for n, f in fields.items() if f["required"] and n not in params
    ]
    problems += [Problem(f"attach://{name} has no uploaded file part") for name in sorted(referenced - uploads)]
    for name, value in decoded.items():
        if name in fields:
            problems += checker.check_any(value, fields[name]["types"], name)
    if not problems:
        problems += _method_rules(method, decoded)
    return CheckedRequest(method, decoded, problems)


def validate_request(method: str, params: dict[str, Any]) -> list[str]:
    """Problems with one Bot API request (empty when it is valid)."""
    return [p.message for p in check_request(method, params).problems]


def validate_object(value: Any, type_name: str) -> list[str]:
    """Problems with an object (e.g. a fake server result) against a spec type string."""
    return [p.message for p in _ValueChecker().check(value, type_name, type_name)]
