"""The sandbox's storage: one site's records, their indexes, and the file that keeps them.

```
records.py      the records: Space, User, Page, PageVersion, Property, Label, Attachment...
site.py         SandboxStore: users, spaces, tokens, the sub-stores below, its file; seed
pages.py        PageStore: pages, their versions, titles, tree positions, trash
properties.py   PropertyStore: content properties and their versions
labels.py       LabelStore: labels on pages
attachments.py  AttachmentStore: attachments and their versions' bytes
state.py        State: the record dicts, indexes and write transactions under one lock
journal.py      SqliteJournal: writes the records a transaction touched to an SQLite file
```

Nothing here speaks HTTP: the API layers (`..v1`, `..v2`) and the viewer read and write
through `SandboxStore`.
"""

from __future__ import annotations

from .site import SandboxStore, seed

__all__ = ["SandboxStore", "seed"]
