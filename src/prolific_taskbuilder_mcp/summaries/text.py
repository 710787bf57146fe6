"""Plain-text helpers for content written by people outside our control (researchers, participants).

Pure functions, no I/O. `sanitize` is idempotent: sanitising twice gives the same result.
"""

import base64
import html
import json
import re
import unicodedata
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ol", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "blockquote"}
)
_DROP_CONTENT = frozenset({"script", "style", "template"})


def _is_invisible(char: str) -> bool:
    """Format characters (zero-width, bidirectional overrides, Unicode tags) and controls."""
    if char in "\n\t":
        return False
    return unicodedata.category(char) in ("Cf", "Cc", "Co", "Cs")


_ASCII_CONTROLS = dict.fromkeys((*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F))


def sanitize(text: str, limit: int = 2000) -> str:
    """Remove invisible/bidi/tag/control characters, fold whitespace, bound the length."""
    # ASCII (the common case) needs no per-character Unicode lookup.
    ascii_only = text.isascii()
    cleaned = text.translate(_ASCII_CONTROLS) if ascii_only else "".join(c for c in text if not _is_invisible(c))
    folded = " ".join(cleaned.split())
    if len(folded) > limit:
        folded = folded[: max(0, limit - 1)].rstrip() + "…"
    return folded


class _TextExtractor(HTMLParser):
    """Collects text blocks and list items from basic HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.items: list[str] = []
        self._current: list[str] = []
        self._in_item = 0
        self._item: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._dropping += 1
        elif tag == "li":
            self._flush()
            self._in_item += 1
            self._item = []
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self._dropping = max(0, self._dropping - 1)
        elif tag == "li" and self._in_item:
            self._in_item -= 1
            item = " ".join("".join(self._item).split())
            if item:
                self.items.append(item)
                self.blocks.append(item)
            self._item = []
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name}")  # entities were decoded before parsing: what is left is literal text

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name}")

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        (self._item if self._in_item else self._current).append(data)

    def _flush(self) -> None:
        block = " ".join("".join(self._current).split())
        if block:
            self.blocks.append(block)
        self._current = []

    def close(self) -> None:
        super().close()
        if self._in_item:
            item = " ".join("".join(self._item).split())
            if item:
                self.items.append(item)
                self.blocks.append(item)
        self._flush()


def _extract(markup: str) -> _TextExtractor:
    """Text blocks of markup whose entities are already decoded (the parser decodes none again)."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return parser


_TAG_LIKE = re.compile(r"</?[A-Za-z!?/][^<>]*>")
"""What a browser (or a model) could take for a tag once entities are decoded: `<x ...>`, `</x>`, `<!...>`."""


def _decoded(markup: str) -> str:
    """Entities decoded until nothing changes (double-encoded `&amp;lt;` included), so no entity can turn into
    a tag after the tags are stripped."""
    for _ in range(4):
        decoded = html.unescape(markup)
        if decoded == markup:
            break
        markup = decoded
    return markup


def strip_tags(text: str) -> str:
    """Any tag-like sequence left in plain text removed, until none is left (`<scr<b>ipt>` included)."""
    for _ in range(10):
        stripped = _TAG_LIKE.sub("", text)
        if stripped == text:
            break
        text = stripped
    return text


def html_to_text(markup: str | None, limit: int = 2000) -> str | None:
    """Basic HTML as one line of plain text (blocks joined by spaces), entities decoded first and no tag left,
    invisible characters removed, length bounded. None stays None."""
    if markup is None:
        return None
    if "<" not in markup and "&" not in markup:
        return sanitize(markup, limit)
    return _html_to_text(markup, limit)


@lru_cache(maxsize=512)
def _html_to_text(markup: str, limit: int) -> str:
    # Cached: the same batch is read again and again while an assistant polls it, and parsing is slow.
    # Invisible characters go before parsing, so none can hide a tag (`<` U+202E `script>`) from it.
    decoded = sanitize(_decoded(markup), len(markup) * 2)
    text = " ".join(_extract(decoded).blocks) if "<" in decoded else decoded
    return sanitize(strip_tags(text), limit)


def html_to_steps(markup: str | None, limit: int = 500, max_steps: int = 30) -> list[str]:
    """Steps from basic HTML: list items when there are any, else the text blocks."""
    if not markup:
        return []
    return list(_html_to_steps(markup, limit, max_steps))


@lru_cache(maxsize=512)
def _html_to_steps(markup: str, limit: int, max_steps: int) -> tuple[str, ...]:
    parsed = _extract(sanitize(_decoded(markup), len(markup) * 2))
    raw = parsed.items or parsed.blocks
    steps = [sanitize(strip_tags(step), limit) for step in raw]
    return tuple(step for step in steps if step)[:max_steps]


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`1 check`, `2 checks`, `0 pages`."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"


def clip(value: str | None, limit: int) -> str | None:
    """`sanitize` for optional values: None stays None."""
    return None if value is None else sanitize(value, limit)


def quoted(text: str, limit: int = 300) -> str:
    """Participant text as a quoted, escaped literal: entities decoded, markup and invisible characters removed,
    so it reads as data and cannot break out of its quotes."""
    plain = html_to_text(text, limit)
    return json.dumps(plain or "", ensure_ascii=False)


def parse_time(value: str | None) -> datetime | None:
    """An ISO-8601 timestamp (with or without fractions, `Z` or offset); None when unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The offset a cursor stands for; None when there is no cursor. Raises ValueError when it is not ours."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not a cursor") from None
    prefix, _, number = raw.partition(":")
    if prefix != "offset" or not number.isdigit() or len(number) > 9:
        raise ValueError("not a cursor")
    return int(number)
