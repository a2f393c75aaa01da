"""docs-confluence: publish documentation bundles into Confluence, idempotently."""

from __future__ import annotations

from .bundle import Attachment, Bundle, BundlePage, read_bundle
from .bundle_writer import BundleBuilder
from .config import PublisherConfig
from .errors import (
    APIError,
    AuthError,
    BundleError,
    ConfigError,
    ConfluencePublisherError,
    Interrupted,
    NetworkError,
    NotFound,
    PermissionDenied,
    PublishError,
    RateLimited,
    StorageError,
    VersionConflict,
)
from .publisher import PublishReport, format_plan, publish_bundle
from .version import __version__

__all__ = [
    "APIError",
    "Attachment",
    "AuthError",
    "Bundle",
    "BundleBuilder",
    "BundleError",
    "BundlePage",
    "ConfigError",
    "ConfluencePublisherError",
    "Interrupted",
    "NetworkError",
    "NotFound",
    "PermissionDenied",
    "PublishError",
    "PublishReport",
    "PublisherConfig",
    "RateLimited",
    "StorageError",
    "VersionConflict",
    "__version__",
    "format_plan",
    "publish_bundle",
    "read_bundle",
]
