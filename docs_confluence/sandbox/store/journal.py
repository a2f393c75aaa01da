"""Keeps a sandbox's state in an SQLite file, one row per record, written incrementally.

Each store write commits only the records it touched (a page head, one new version, one
attachment version's bytes...), so publishing a thousand pages costs a thousand small
transactions, not a thousand rewrites of the whole site.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .records import Attachment, AttachmentVersion, Label, Page, PageVersion, Property, Space, User

if TYPE_CHECKING:
    from pathlib import Path

    from .state import State

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS record (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    blob BLOB,
    PRIMARY KEY (kind, key)
)
"""


def _split(key: str) -> tuple[str, int]:
    owner, _, number = key.rpartition("/")
    return owner, int(number)


class SqliteJournal:
    """An SQLite file holding every record of one sandbox site."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        """Close the database file."""
        self._db.close()

    def load(self, state: State) -> None:
        """Fill an empty `State` from the file and rebuild its indexes."""
        rows = self._db.execute("SELECT kind, key, data, blob FROM record").fetchall()
        for kind, key, data, blob in rows:
            self._load_row(state, kind, key, json.loads(data), blob)
        state.reindex()
        log.debug("Loaded %d records from %s", len(rows), self.path)

    @staticmethod
    def _load_row(state: State, kind: str, key: str, data: Any, blob: bytes | None) -> None:
        if kind == "meta":
            state.next_id = int(data)
        elif kind == "user":
            state.users[key] = User(**data)
        elif kind == "bearer":
            state.bearer[key] = data
        elif kind == "space":
            state.spaces[key] = Space(**data)
        elif kind == "page":
            state.pages[key] = Page(**data)
        elif kind == "version":
            owner, _ = _split(key)
            state.versions.setdefault(owner, []).append(PageVersion(**data))
        elif kind == "property":
            state.properties[key] = Property(**data)
        elif kind == "label":
            state.labels[key] = Label(**data)
        elif kind == "page_labels":
            state.page_labels[key] = list(data)
        elif kind == "attachment":
            state.attachments[key] = Attachment(**data)
        elif kind == "attachment_version":
            owner, _ = _split(key)
            version = AttachmentVersion(**data, data=blob or b"")
            state.attachment_versions.setdefault(owner, []).append(version)
        else:
            log.warning("Ignoring unknown record kind %r in sandbox file", kind)

    def save(self, state: State, changed: set[tuple[str, str]]) -> None:
        """Write the current value of each changed record, or delete it, in one transaction."""
        upserts: list[tuple[str, str, str, bytes | None]] = []
        deletes: list[tuple[str, str]] = []
        for kind, key in sorted(changed):
            row = self._dump(state, kind, key)
            if row is None:
                deletes.append((kind, key))
            else:
                upserts.append((kind, key, json.dumps(row[0]), row[1]))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM record WHERE kind = ? AND key = ?", deletes)
            self._db.executemany(
                "INSERT OR REPLACE INTO record (kind, key, data, blob) VALUES (?, ?, ?, ?)",
                upserts,
            )

    @staticmethod
    def _dump(state: State, kind: str, key: str) -> tuple[Any, bytes | None] | None:
        value: Any = None
        if kind == "meta":
            return state.next_id, None
        if kind == "bearer":
            return (state.bearer[key], None) if key in state.bearer else None
        if kind == "page_labels":
            return (state.page_labels[key], None) if key in state.page_labels else None
        if kind in ("version", "attachment_version"):
            owner, number = _split(key)
            history = (state.versions if kind == "version" else state.attachment_versions).get(
                owner, []
            )
            value = next((v for v in history if v.number == number), None)
            if isinstance(value, AttachmentVersion):
                data = asdict(value)
                blob = data.pop("data")
                return data, blob
        else:
            tables: dict[str, dict[str, Any]] = {
                "user": state.users,
                "space": state.spaces,
                "page": state.pages,
                "property": state.properties,
                "label": state.labels,
                "attachment": state.attachments,
            }
            value = tables[kind].get(key)
        return None if value is None else (asdict(value), None)
