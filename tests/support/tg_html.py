"""Telegram's HTML parse_mode, as the Bot API server applies it: plain text plus MessageEntity dicts.

Only the tags Telegram documents are accepted; ``<``, ``>`` and ``&`` outside tags and entities must be
escaped (the Bot API docs say "must"; real Telegram is laxer about a stray ``&`` or ``>``, but a bot that
relies on that is one template change away from a 400). Error texts follow TDLib's wording, so a test
sees ``Bad Request: can't parse entities: Unsupported start tag "foo" at byte offset 5``.
"""

import html
import logging
import re
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# Tag -> MessageEntity type. span, a, pre/code, blockquote, tg-emoji and tg-time get extra handling.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
ALLOWED_TAGS = frozenset(_SIMPLE_TAGS)

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TAG_NAME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; str() is the part after "can't parse entities: "."""


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the plain text
    children: list[str] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _Parser:
    """One pass over the text, like TDLib's parse_html."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.plain: list[str] = []
        self.plain_len16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict] = []

    def byte_offset(self, pos: int) -> int:
        """UTF-8 byte offset of a character index, as TDLib reports positions."""
        return len(self.text[:pos].encode("utf-8"))

    def emit(self, chunk: str) -> None:
        """Append plain text."""
        self.plain.append(chunk)
        self.plain_len16 += utf16_len(chunk)

    def run(self) -> tuple[str, list[dict]]:
        """Parse everything; return (plain text, entities)."""
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "<":
                self.tag()
            elif ch == "&":
                self.entity()
            elif ch == ">":
                raise HtmlParseError(
                    f'Character ">" must be escaped as "&gt;" at byte offset {self.byte_offset(self.pos)}'
                )
            else:
                nxt = self._next_special()
                self.emit(self.text[self.pos : nxt])
                self.pos = nxt
        if self.stack:
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.plain), self.entities

    def _next_special(self) -> int:
        """Index of the next '<', '>' or '&' (or the end)."""
        candidates = [i for i in (self.text.find(c, self.pos) for c in "<>&") if i != -1]
        return min(candidates, default=len(self.text))

    def entity(self) -> None:
        """Decode one &...; reference or fail on a bare '&'."""
        match = _ENTITY_RE.match(self.text, self.pos)
        decoded = None
        if match:
            dec, hexa, name = match.groups()
            if name is not None:
                decoded = _NAMED_ENTITIES.get(name)
            else:
                code = int(dec) if dec is not None else int(hexa, 16)
                decoded = chr(code) if 0 < code <= 0x10FFFF else None
        if decoded is None:
            raise HtmlParseError(
                f'Character "&" must be escaped as "&amp;" at byte offset {self.byte_offset(self.pos)}'
            )
        self.emit(decoded)
        self.pos = match.end()

    def tag(self) -> None:
        """Handle a start or end tag at self.pos."""
        begin = self.pos
        if self.text.startswith("</", begin):
            self.end_tag(begin)
            return
        name_match = _TAG_NAME_RE.match(self.text, begin + 1)
        if not name_match:
            raise HtmlParseError(f'Character "<" must be escaped as "&lt;" at byte offset {self.byte_offset(begin)}')
        name = name_match.group().lower()
        if name not in ALLOWED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}')
        attrs, end = self.attributes(name_match.end(), begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}')
        if name == "tg-emoji" and "emoji-id" not in attrs:
            raise HtmlParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {self.byte_offset(begin)}'
            )
        if name == "tg-time" and not attrs.get("unix", "").isdigit():
            raise HtmlParseError(f'Tag "tg-time" must have attribute "unix" at byte offset {self.byte_offset(begin)}')
        self.stack.append(_OpenTag(name, attrs, self.plain_len16))
        self.pos = end

    def attributes(self, pos: int, begin: int) -> tuple[dict[str, str], int]:
        """Read attributes up to '>'; return them and the index after '>'."""
        attrs: dict[str, str] = {}
        while True:
            while pos < len(self.text) and self.text[pos].isspace():
                pos += 1
            if pos >= len(self.text):
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if self.text[pos] == ">":
                return attrs, pos + 1
            match = _ATTR_RE.match(self.text, pos)
            if not match or match.end() == pos:
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            value = next((v for v in match.groups()[1:] if v is not None), "")
            attrs[match.group(1).lower()] = html.unescape(value)
            pos = match.end()

    def end_tag(self, begin: int) -> None:
        """Close the innermost open tag, which must have the same name."""
        close = self.text.find(">", begin)
        if close == -1:
            raise HtmlParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        name = self.text[begin + 2 : close].strip().lower()
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        top = self.stack[-1]
        if name != top.name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {self.byte_offset(begin)}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        if self.stack:
            self.stack[-1].children.append(top.name)
        self.add_entity(top)
        self.pos = close + 1

    def add_entity(self, tag: _OpenTag) -> None:
        """Turn a closed tag into a MessageEntity (empty ones are dropped, as Telegram does)."""
        length = self.plain_len16 - tag.start
        if length <= 0:
            return
        entity: dict = {"type": _SIMPLE_TAGS[tag.name], "offset": tag.start, "length": length}
        if tag.name == "a":
            href = tag.attrs.get("href", "")
            user_id = re.fullmatch(r"tg://user\?id=(\d+)", href)
            if user_id:
                entity = {
                    "type": "text_mention",
                    "offset": tag.start,
                    "length": length,
                    "user": {"id": int(user_id.group(1)), "is_bot": False, "first_name": ""},
                }
            elif href:
                entity["url"] = href
            else:
                entity["type"] = "url"
        elif tag.name == "code" and self.stack and self.stack[-1].name == "pre":
            # <pre><code class="language-x"> becomes one pre entity with a language.
            language = tag.attrs.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].attrs["language"] = language.removeprefix("language-")
            return
        elif tag.name == "pre" and tag.attrs.get("language"):
            entity["language"] = tag.attrs["language"]
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        elif tag.name == "tg-time":
            entity["unix_time"] = int(tag.attrs["unix"])
            if tag.attrs.get("format"):
                entity["date_time_format"] = tag.attrs["format"]
        self.entities.append(entity)


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into (plain text, entities); raise HtmlParseError like the Bot API."""
    return _Parser(text).run()


def strip_outer_whitespace(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim leading/trailing whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    out = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            out.append({**entity, "offset": start, "length": end - start})
    return stripped, out
