"""IndexWriter: the ownership index during a run, written to Confluence with as few writes as
possible, and safe against lost answers and against another publish of the same docs."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from ..errors import APIError, OutcomeUnknown, PublishError, VersionConflict
from .ownership import FORMAT, Claim, property_prefix, read_index, shard_number

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ..rest.client import ConfluenceClient
    from ..rest.models import RemoteProperty
    from .ownership import IndexEntry, OwnershipIndex

__all__ = ["IndexWriter"]

_SHARD_CHARS = 20_000
_MERGE_ATTEMPTS = 4


class _IndexRace(Exception):
    """A shard held something else than this run wrote or read: another run wrote it."""


class IndexWriter:
    """The index during a run: updated by many threads, written to Confluence on flush.

    Only shards whose content changed are written, so a run that changed nothing writes nothing.
    """

    def __init__(
        self,
        client: ConfluenceClient,
        anchor_id: str,
        index: OwnershipIndex,
        properties: Mapping[str, RemoteProperty],
    ) -> None:
        self._client = client
        self._anchor_id = anchor_id
        self._prefix = property_prefix(index.project)
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._project = index.project
        self._entries = dict(index.entries)
        self._pending = dict(index.pending)
        self._claims = dict(index.claims)
        self._touched: set[str] = set()  # keys this run changed: they win over a merge
        self._stored = {k: v for k, v in properties.items() if shard_number(k, self._prefix) >= 0}

    def entry(self, key: str) -> IndexEntry | None:
        with self._lock:
            return self._entries.get(key)

    def rekey(self, old: str, new: str) -> None:
        """The page recorded under *old* now belongs to bundle key *new*."""
        with self._lock:
            self._entries[new] = self._entries.pop(old)
            self._pending.pop(new, None)
            self._touched.update((old, new))

    def record(self, key: str, entry: IndexEntry) -> None:
        """Remember *entry* for *key* (and forget a pending create of it)."""
        with self._lock:
            self._entries[key] = entry
            self._pending.pop(key, None)
            self._touched.add(key)

    def amend(self, key: str, change: Callable[[IndexEntry], IndexEntry]) -> None:
        """Replace the entry for *key* by ``change(entry)``, atomically (no-op when absent:
        a page whose write failed is not recorded, and the next run redoes its extras)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries[key] = change(entry)
                self._touched.add(key)

    def forget(self, key: str) -> None:
        """Drop *key* (its page was trashed)."""
        with self._lock:
            self._entries.pop(key, None)
            self._pending.pop(key, None)
            self._touched.add(key)

    def expect(self, pending: Mapping[str, str], claims: Mapping[str, Claim] | None = None) -> None:
        """Record titles about to be created, so a crash right after a create is healed, each
        with its *claims* (where it is created, and what its body says), so the page found by
        that title is told from another project's (:mod:`.claims`)."""
        with self._lock:
            self._pending.update(pending)
            for key in pending:
                self._claims.pop(key, None)
            self._claims.update(claims or {})

    def unclaim(self, key: str) -> None:
        """Drop the pending claim on *key*: the page holding its title is not this project's."""
        with self._lock:
            self._pending.pop(key, None)
            self._touched.add(key)

    def flush(self) -> int:
        """Write changed shards; returns how many writes that took.

        When another run (a concurrent publish of the same docs) wrote the index meanwhile, its
        entries are merged in (ours win for the pages this run touched) and the write repeated.
        """
        with self._flush_lock:
            for _ in range(_MERGE_ATTEMPTS):
                try:
                    return self._flush_once()
                except _IndexRace:
                    self._merge_remote()
            raise PublishError(
                f"The ownership index on page {self._anchor_id} kept changing while this "
                "publish wrote it (other publishes of the same docs running?); run again."
            )

    def changed(self) -> bool:
        """Whether :meth:`flush` would write anything now."""
        with self._lock:
            shards = self._shards()
            stored = dict(self._stored)
        written = [stored.get(f"{self._prefix}{number}") for number in range(len(shards))]
        if any(
            prop is None or prop.value != value for prop, value in zip(written, shards, strict=True)
        ):
            return True
        return any(shard_number(key, self._prefix) >= len(shards) for key in stored)

    def _flush_once(self) -> int:
        with self._lock:
            shards = self._shards()
        writes = 0
        for number, value in enumerate(shards):
            key = f"{self._prefix}{number}"
            existing = self._stored.get(key)
            if existing is not None and existing.value == value:
                continue
            self._stored[key] = self._write(key, value, existing)
            writes += 1
        for key in sorted(self._stored):
            if shard_number(key, self._prefix) >= len(shards):
                self._client.delete_property(self._anchor_id, self._stored.pop(key))
                writes += 1
        return writes

    def _merge_remote(self) -> None:
        properties = self._client.get_properties(self._anchor_id, self._prefix)
        theirs = read_index(self._project, properties)
        with self._lock:
            for key, entry in theirs.entries.items():
                if key not in self._touched:
                    self._entries[key] = entry
            for key, title in theirs.pending.items():
                if key not in self._touched and key not in self._entries:
                    self._pending.setdefault(key, title)
                    if key in theirs.claims:
                        self._claims.setdefault(key, theirs.claims[key])
            self._stored = {
                k: v for k, v in properties.items() if shard_number(k, self._prefix) >= 0
            }

    def _write(self, key: str, value: Any, existing: RemoteProperty | None) -> RemoteProperty:
        """Write one shard. A write whose answer was lost may have landed: a replayed update
        then meets its own success as a version conflict, and a create's outcome is unknown.
        Either way the property is read back; if it holds what we sent, the write is done."""
        try:
            return self._client.set_property(self._anchor_id, key, value, existing)
        except (OutcomeUnknown, VersionConflict):
            stored = self._client.get_property(self._anchor_id, key)
        except APIError as exc:
            if not (existing is None and _already_exists(exc)):
                raise
            # Another publish of the same docs created the shard first (two first publishes
            # at once): a race like a version conflict, merged the same way.
            stored = self._client.get_property(self._anchor_id, key)
        if stored is not None and stored.value == value:
            return stored
        if stored is None and existing is None:
            return self._client.set_property(self._anchor_id, key, value, None)
        raise _IndexRace(key)

    def _shards(self) -> list[dict[str, Any]]:
        items: list[tuple[str, str, Any]] = [
            ("pages", key, self._entries[key].to_json()) for key in sorted(self._entries)
        ]
        items += [("pending", key, title) for key, title in sorted(self._pending.items())]
        items += [
            ("claims", key, self._claims[key].to_json())
            for key in sorted(self._pending)
            if key in self._claims
        ]
        shards: list[dict[str, Any]] = [{"format": FORMAT, "pages": {}}]
        size = 0
        for section, key, data in items:
            length = len(json.dumps(data)) + len(key) + 8
            if size and size + length > _SHARD_CHARS:
                shards.append({"format": FORMAT, "pages": {}})
                size = 0
            shards[-1].setdefault(section, {})[key] = data
            size += length
        return shards


def _already_exists(error: APIError) -> bool:
    """Whether Confluence refused to create a property because the page already has that key
    (Cloud v2 and v1 answer 400 for it)."""
    return error.status == 400 and "already" in str(error).lower()
