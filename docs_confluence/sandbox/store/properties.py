"""Content properties: JSON values under a key per page, each with its own version number."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import InvalidRequest, NotFound, StaleVersion, TooLarge
from .records import Property

if TYPE_CHECKING:
    from .state import State

MAX_KEY_LENGTH = 255
#: Largest serialised property value, in bytes (Confluence: about 32 KB, unconfirmed).
MAX_VALUE_BYTES = 32_768


class PropertyStore:
    """Reads and writes content properties. Reached as ``store.properties``."""

    def __init__(self, state: State) -> None:
        self._state = state

    def of(self, page_id: str, key: str | None = None) -> list[Property]:
        """A page's properties ordered by id; ``key`` filters exactly (case-sensitive)."""
        with self._state.lock:
            ids = self._state.property_keys.get(page_id, {})
            found = [self._state.properties[i] for k, i in ids.items() if key in (None, k)]
        return sorted(found, key=lambda p: int(p.id))

    def get(self, page_id: str, property_id: str) -> Property:
        """One property of a page by id; NotFound otherwise."""
        prop = self._state.properties.get(property_id)
        if prop is None or prop.page_id != page_id:
            raise NotFound(f"No property found with id: {property_id}")
        return prop

    def by_key(self, page_id: str, key: str) -> Property | None:
        """The page's property with this key, if any."""
        with self._state.lock:
            prop_id = self._state.property_keys.get(page_id, {}).get(key)
            return None if prop_id is None else self._state.properties[prop_id]

    def create(self, page_id: str, key: str, value: Any, *, author_id: str) -> Property:
        """Add a property at version 1; a key the page already has is a 400."""
        _check(key, value)
        state = self._state
        with state.write():
            if self.by_key(page_id, key) is not None:
                raise InvalidRequest(
                    f"Cannot create a content property with key '{key}': "
                    f"content {page_id} already has one"
                )
            prop = Property(
                id=state.new_id(),
                page_id=page_id,
                key=key,
                value=value,
                version=1,
                message="",
                minor_edit=False,
                author_id=author_id,
                created_at=state.now(),
            )
            self._put(prop)
        return prop

    def update(
        self,
        page_id: str,
        property_id: str,
        value: Any,
        *,
        version: int | None,
        author_id: str,
        key: str | None = None,
        message: str = "",
        minor_edit: bool = False,
    ) -> Property:
        """Replace a property's value; ``version`` must be the current one plus one."""
        state = self._state
        with state.write():
            prop = self.get(page_id, property_id)
            new_key = prop.key if key is None else key
            _check(new_key, value)
            if version != prop.version + 1:
                raise StaleVersion(prop.version, version, what="property")
            if new_key != prop.key and self.by_key(page_id, new_key) is not None:
                raise InvalidRequest(f"Content {page_id} already has a property '{new_key}'")
            del state.property_keys[page_id][prop.key]
            prop = replace(
                prop,
                key=new_key,
                value=value,
                version=version,
                message=message,
                minor_edit=minor_edit,
                author_id=author_id,
                created_at=state.now(),
            )
            self._put(prop)
        return prop

    def delete(self, page_id: str, property_id: str) -> None:
        """Remove a property."""
        state = self._state
        with state.write():
            prop = self.get(page_id, property_id)
            del state.properties[prop.id]
            del state.property_keys[page_id][prop.key]
            state.touch("property", prop.id)

    def _put(self, prop: Property) -> None:
        self._state.properties[prop.id] = prop
        self._state.property_keys.setdefault(prop.page_id, {})[prop.key] = prop.id
        self._state.touch("property", prop.id)


def _check(key: str, value: Any) -> None:
    if not key:
        raise InvalidRequest("Property key cannot be empty")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidRequest(f"Property key cannot be longer than {MAX_KEY_LENGTH} characters")
    if len(json.dumps(value).encode()) > MAX_VALUE_BYTES:
        raise TooLarge(f"Property value cannot be larger than {MAX_VALUE_BYTES} bytes")
