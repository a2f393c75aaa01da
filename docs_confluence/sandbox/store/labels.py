"""Labels: lower-case names without spaces, one id per (prefix, name) across the site."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import InvalidRequest, NotFound
from .records import Label

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .state import State

PREFIXES = ("global", "my", "team", "system")
MAX_NAME_LENGTH = 255
# Whitespace and the characters Confluence refuses in label names (list unconfirmed).
_INVALID = re.compile(r"[\s:;,?&\[\]()#^*@!<>]")


class LabelStore:
    """Reads and writes page labels. Reached as ``store.labels``."""

    def __init__(self, state: State) -> None:
        self._state = state

    def of(self, page_id: str, prefix: str | None = None) -> list[Label]:
        """A page's labels in the order they were added, optionally of one prefix."""
        with self._state.lock:
            labels = [self._state.labels[i] for i in self._state.page_labels.get(page_id, [])]
        return [label for label in labels if prefix in (None, label.prefix)]

    def add(self, page_id: str, labels: Iterable[tuple[str, str]]) -> list[Label]:
        """Add (prefix, name) labels, keeping the others; returns all labels of the page."""
        wanted = [_checked(prefix, name) for prefix, name in labels]
        state = self._state
        with state.write():
            current = state.page_labels.setdefault(page_id, [])
            for prefix, name in wanted:
                label_id = state.label_ids.get((prefix, name))
                if label_id is None:
                    label_id = state.new_id()
                    state.labels[label_id] = Label(label_id, prefix, name)
                    state.label_ids[(prefix, name)] = label_id
                    state.touch("label", label_id)
                if label_id not in current:
                    current.append(label_id)
            state.touch("page_labels", page_id)
        return self.of(page_id)

    def remove(self, page_id: str, name: str) -> None:
        """Remove the label called ``name`` (any prefix); NotFound if the page lacks it."""
        state = self._state
        with state.write():
            current = state.page_labels.get(page_id, [])
            matching = [i for i in current if state.labels[i].name == name.lower()]
            if not matching:
                raise NotFound(f"Label '{name}' not found on content with id: {page_id}")
            for label_id in matching:
                current.remove(label_id)
            state.touch("page_labels", page_id)


def _checked(prefix: str, name: str) -> tuple[str, str]:
    if prefix not in PREFIXES:
        raise InvalidRequest(f"Invalid label prefix: {prefix}. Expected one of {PREFIXES}")
    if not name:
        raise InvalidRequest("Label name cannot be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidRequest(f"Label name cannot be longer than {MAX_NAME_LENGTH} characters")
    if _INVALID.search(name):
        raise InvalidRequest(f"Label '{name}' contains invalid characters or spaces")
    return prefix, name.lower()
