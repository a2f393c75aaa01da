"""A small subset of CQL: ``field op value`` clauses joined by ``and``.

Fields: ``space`` (or ``space.key``), ``type``, ``title``, ``id``, ``parent``, ``ancestor``,
``label``, ``container``. Attachments are content too (``type = attachment``): their space is
their page's, their title the file name, their ``container`` the page's id; ``parent``,
``ancestor`` and ``label`` never match one (unconfirmed for Confluence). Operators: ``=``,
``!=``, ``~`` (contains every word, case-insensitive; ``*`` is a wildcard), ``!~`` and
``in (...)``. A trailing ``order by`` is accepted and ignored. Anything else is a 400
``Could not parse cql``, as an invalid query is on Confluence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InvalidRequest

if TYPE_CHECKING:
    from .store import SandboxStore
    from .store.records import Attachment, Page

FIELDS = ("space", "space.key", "type", "title", "id", "parent", "ancestor", "label", "container")
_TOKEN = re.compile(
    r"""\s*(?:(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
    r"""|(?P<op>!=|!~|=|~|\(|\)|,)|(?P<word>[\w.\-:*]+))"""
)


@dataclass(frozen=True, slots=True)
class Clause:
    """One ``field op values`` condition."""

    field: str
    op: str
    values: tuple[str, ...]

    def matches(self, page: Page, store: SandboxStore) -> bool:
        """Whether ``page`` satisfies the clause."""
        found = any(self._match_one(page, store, value) for value in self.values)
        return not found if self.op in ("!=", "!~") else found

    def matches_attachment(self, attachment: Attachment, store: SandboxStore) -> bool:
        """Whether ``attachment`` satisfies the clause."""
        found = any(self._match_attachment(attachment, store, value) for value in self.values)
        return not found if self.op in ("!=", "!~") else found

    def _match_attachment(self, attachment: Attachment, store: SandboxStore, value: str) -> bool:
        if self.field in ("space", "space.key"):
            return store.space(store.pages.get(attachment.page_id).space_id).key == value
        if self.field == "type":
            return value == "attachment"
        if self.field == "title":
            return self._title_matches(attachment.title, value)
        if self.field == "id":
            return value in (attachment.id, attachment.id.removeprefix("att"))
        if self.field == "container":
            return attachment.page_id == value
        return False

    def _title_matches(self, title: str, value: str) -> bool:
        if self.op in ("~", "!~"):
            words = value.lower().replace("*", " ").split()
            return all(word in title.lower() for word in words)
        return title.lower() == value.lower()

    def _match_one(self, page: Page, store: SandboxStore, value: str) -> bool:
        if self.field in ("space", "space.key"):
            return store.space(page.space_id).key == value
        if self.field == "type":
            return value == "page"
        if self.field == "title":
            return self._title_matches(page.title, value)
        if self.field == "container":
            return False
        if self.field == "id":
            return page.id == value
        if self.field == "parent":
            return page.parent_id == value
        if self.field == "ancestor":
            return any(a.id == value for a in store.pages.ancestors(page.id))
        return any(label.name == value.lower() for label in store.labels.of(page.id))


def _tokens(cql: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = cql.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise InvalidRequest(f"Could not parse cql : {cql}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Cursor:
    """Walks the tokens of one query; every dead end is the same 400."""

    def __init__(self, cql: str, tokens: list[tuple[str, str]]) -> None:
        self.cql = cql
        self.tokens = tokens
        self.position = 0

    def error(self) -> InvalidRequest:
        return InvalidRequest(f"Could not parse cql : {self.cql}")

    def more(self) -> bool:
        return self.position < len(self.tokens)

    def next(self, *kinds: str) -> str:
        if not self.more() or self.tokens[self.position][0] not in kinds:
            raise self.error()
        value = self.tokens[self.position][1]
        self.position += 1
        return value

    def keyword(self, word: str) -> bool:
        """Consume ``word`` (case-insensitive) if it comes next."""
        if self.more() and self.tokens[self.position] == ("word", word.lower()):
            self.position += 1
            return True
        return False

    def values(self) -> tuple[str, ...]:
        if self.next("op") != "(":
            raise self.error()
        found = [self.next("string", "word")]
        while True:
            separator = self.next("op")
            if separator == ")":
                return tuple(found)
            if separator != ",":
                raise self.error()
            found.append(self.next("string", "word"))


def parse(cql: str) -> list[Clause]:
    """The clauses of a CQL query; 400 for anything outside the supported subset."""
    cursor = _Cursor(cql, _tokens(cql))
    clauses: list[Clause] = []
    while cursor.more():
        if clauses:
            if cursor.keyword("order"):
                if not cursor.keyword("by"):
                    raise cursor.error()
                cursor.position = len(cursor.tokens)
                break
            if not cursor.keyword("and"):
                raise cursor.error()
        field = cursor.next("word").lower()
        if field not in FIELDS:
            raise cursor.error()
        if cursor.keyword("not"):
            if not cursor.keyword("in"):
                raise cursor.error()
            clauses.append(Clause(field, "!=", cursor.values()))
        elif cursor.keyword("in"):
            clauses.append(Clause(field, "=", cursor.values()))
        else:
            op = cursor.next("op")
            if op not in ("=", "!=", "~", "!~"):
                raise cursor.error()
            clauses.append(Clause(field, op, (cursor.next("string", "word"),)))
    if not clauses:
        raise cursor.error()
    return clauses
