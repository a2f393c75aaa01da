"""`SandboxStore`: one Confluence site's users, spaces and content, in memory or in a file.

`seed` gives a new site the user, PAT and spaces a local sandbox signs in with.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import InvalidRequest, NotFound
from .attachments import AttachmentStore
from .journal import SqliteJournal
from .labels import LabelStore
from .pages import PageStore, TitleRules
from .properties import PropertyStore
from .records import SYSTEM_ACCOUNT_ID, Space, User
from .state import State

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from datetime import datetime
    from pathlib import Path
    from types import TracebackType
    from typing import Self

log = logging.getLogger(__name__)

_SPACE_KEY = re.compile(r"^(~[\w.@-]+|[A-Za-z0-9]{1,255})$")
_ACCOUNT_NAMESPACE = uuid.UUID("6f1c2d2e-5a0b-4c41-9d1e-3f7a1f0c9a11")

#: Who `seed` signs in, and with what: the credentials the docs give for a local sandbox.
DEFAULT_EMAIL = "sandbox@example.com"
DEFAULT_API_TOKEN = "sandbox-api-token"
DEFAULT_PAT = "sandbox-pat"


def account_id_for(email: str) -> str:
    """A stable Atlassian-style account id for an email address."""
    return f"557058:{uuid.uuid5(_ACCOUNT_NAMESPACE, email.lower())}"


class SandboxStore:
    """Everything one sandbox site holds. Thread safe: all access goes through one lock.

    ``SandboxStore()`` lives in memory; ``SandboxStore.open(path)`` keeps it in an SQLite file
    (written record by record as changes happen) and reloads it on the next start.
    Content operations live on sub-stores: ``pages``, ``properties``, ``labels``,
    ``attachments``.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        trashed_titles_reserved: bool = False,
        title_rules: TitleRules | None = None,
        v1_update_without_ancestors_to_root: bool = False,
    ) -> None:
        self._state = State(clock)
        self._journal: SqliteJournal | None = None
        self._bearer_validators: list[Callable[[str], User | None]] = []
        self.pages = PageStore(
            self._state,
            trashed_titles_reserved=trashed_titles_reserved,
            title_rules=title_rules,
            v1_update_without_ancestors_to_root=v1_update_without_ancestors_to_root,
        )
        self.properties = PropertyStore(self._state)
        self.labels = LabelStore(self._state)
        self.attachments = AttachmentStore(self._state)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        trashed_titles_reserved: bool = False,
        title_rules: TitleRules | None = None,
    ) -> SandboxStore:
        """A store kept in the SQLite file at ``path`` (created if missing)."""
        store = cls(
            clock=clock, trashed_titles_reserved=trashed_titles_reserved, title_rules=title_rules
        )
        journal = SqliteJournal(path)
        journal.load(store._state)
        store._journal = journal
        store._state.journal = journal
        log.info("Sandbox data file %s: %d pages", path, len(store._state.pages))
        return store

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store's lock; changes made inside are written to the file once, at the end."""
        with self._state.write():
            yield

    def close(self) -> None:
        """Close the data file, if any. The in-memory state stays readable."""
        with self._state.lock:
            if self._journal is not None:
                self._state.journal = None
                self._journal.close()
                self._journal = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- users and credentials -----------------------------------------------------------------

    def add_user(self, email: str, api_token: str, display_name: str | None = None) -> User:
        """Add (or update) a user who signs in with Basic ``email:api_token``."""
        user = User(
            account_id=account_id_for(email),
            email=email,
            display_name=display_name or email.split("@")[0].capitalize(),
            api_token=api_token,
        )
        with self._state.write():
            self._state.users[user.account_id] = user
            self._state.touch("user", user.account_id)
        return user

    def add_pat(self, token: str, user: User | str) -> None:
        """Let ``Authorization: Bearer <token>`` act as ``user`` (a User or an email)."""
        found = self.user_by_email(user) if isinstance(user, str) else user
        if found is None:
            raise NotFound(f"No user with email: {user}")
        with self._state.write():
            self._state.bearer[token] = found.account_id
            self._state.touch("bearer", token)

    def add_bearer_validator(self, validator: Callable[[str], User | None]) -> None:
        """Accept other bearer tokens (e.g. OAuth access tokens): return a User or None."""
        self._bearer_validators.append(validator)

    def authenticate_basic(self, username: str, secret: str) -> User | None:
        """The user for Basic credentials (email and API token), or None."""
        user = self.user_by_email(username)
        if user is None or user.api_token is None or user.api_token != secret:
            return None
        return user

    def authenticate_bearer(self, token: str) -> User | None:
        """The user for a bearer token (PAT or a registered validator), or None."""
        with self._state.lock:
            account_id = self._state.bearer.get(token)
            if account_id is not None:
                return self._state.users.get(account_id)
        for validator in self._bearer_validators:
            user = validator(token)
            if user is not None:
                return user
        return None

    def user(self, account_id: str) -> User | None:
        """The user with this account id, or None."""
        return self._state.users.get(account_id)

    def user_by_email(self, email: str) -> User | None:
        """The user with this email (case-insensitive), or None."""
        with self._state.lock:
            for user in self._state.users.values():
                if user.email.lower() == email.lower():
                    return user
        return None

    def users(self) -> list[User]:
        """All users."""
        with self._state.lock:
            return list(self._state.users.values())

    # -- spaces ----------------------------------------------------------------------------------

    def create_space(
        self,
        key: str,
        name: str,
        *,
        homepage_title: str | None = None,
        homepage_body: str = "",
        author_id: str = SYSTEM_ACCOUNT_ID,
    ) -> Space:
        """Create a space and its homepage (titled ``<name> Home`` unless told otherwise)."""
        if not _SPACE_KEY.match(key):
            raise InvalidRequest(f"Invalid space key: {key}")
        state = self._state
        with state.write():
            if self.space_by_key(key) is not None:
                raise InvalidRequest(f"A space with key {key} already exists")
            space = Space(
                id=state.new_id(),
                key=key,
                name=name,
                homepage_id=None,
                created_at=state.now(),
                author_id=author_id,
            )
            state.spaces[space.id] = space
            home = self.pages.create(
                space.id, homepage_title or f"{name} Home", homepage_body, author_id=author_id
            )
            space = Space(space.id, key, name, home.id, space.created_at, author_id)
            state.spaces[space.id] = space
            state.touch("space", space.id)
        log.debug("Created space %s (%s) with homepage %s", key, space.id, home.id)
        return space

    def set_homepage(self, space_id: str, page_id: str) -> Space:
        """Make page *page_id* (a current page of the space) its homepage, as a space admin
        does in the space settings; the old homepage stays where it is, properties and all."""
        state = self._state
        with state.write():
            space = self.space(space_id)
            page = self.pages.get(page_id, statuses=("current",))
            if page.space_id != space.id:
                raise InvalidRequest(f"Page {page_id} is not in space {space.key}")
            space = replace(space, homepage_id=page.id)
            state.spaces[space.id] = space
            state.touch("space", space.id)
        log.debug("Space %s: homepage is now %s", space.key, page_id)
        return space

    def space(self, space_id: str) -> Space:
        """The space with this id; NotFound otherwise."""
        space = self._state.spaces.get(space_id)
        if space is None:
            raise NotFound(f"No space with id: {space_id}")
        return space

    def space_by_key(self, key: str) -> Space | None:
        """The space with this key, or None."""
        with self._state.lock:
            for space in self._state.spaces.values():
                if space.key == key:
                    return space
        return None

    def spaces(self) -> list[Space]:
        """All spaces, ordered by id."""
        with self._state.lock:
            return sorted(self._state.spaces.values(), key=lambda s: int(s.id))


def seed(
    store: SandboxStore,
    *,
    space_keys: Sequence[str] = ("DOC",),
    email: str = DEFAULT_EMAIL,
    api_token: str = DEFAULT_API_TOKEN,
    pat: str | None = DEFAULT_PAT,
) -> None:
    """Add the user, its PAT and the spaces that a store does not have yet."""
    user = store.user_by_email(email)
    if user is None or user.api_token != api_token:
        user = store.add_user(email, api_token, display_name="Sandbox Publisher")
    if pat is not None and store.authenticate_bearer(pat) is None:
        store.add_pat(pat, user)
    for key in space_keys:
        if store.space_by_key(key) is None:
            store.create_space(key, key)
