"""A local Confluence-compatible server: the same REST API, rules and errors, no account needed.

```python
from docs_confluence.sandbox import Sandbox, SandboxStore, serve

store = SandboxStore()                       # or SandboxStore.open(path) to keep it in a file
store.create_space("DOC", "Documentation")
store.add_user("bot@example.com", "token")
app = Sandbox(store)                         # a WSGI app: in process through
                                             # docs_confluence.testing.SandboxTransport(app=app)
with serve(app) as origin:                   # ... or real HTTP on 127.0.0.1
    ...
```
"""

from __future__ import annotations

from .app import Sandbox
from .errors import ApiError
from .faults import ConnectionDropped, Fault, Faults
from .server import serve, serve_forever
from .stats import RequestStats
from .store import SandboxStore, seed
from .store.pages import MAX_BODY_BYTES, TitleRules
from .store.records import (
    Attachment,
    AttachmentVersion,
    Flavor,
    Label,
    Page,
    PageStatus,
    PageVersion,
    Property,
    Space,
    User,
)
from .xhtml import normalise

__all__ = [
    "MAX_BODY_BYTES",
    "ApiError",
    "Attachment",
    "AttachmentVersion",
    "ConnectionDropped",
    "Fault",
    "Faults",
    "Flavor",
    "Label",
    "Page",
    "PageStatus",
    "PageVersion",
    "Property",
    "RequestStats",
    "Sandbox",
    "SandboxStore",
    "Space",
    "TitleRules",
    "User",
    "normalise",
    "seed",
    "serve",
    "serve_forever",
]
