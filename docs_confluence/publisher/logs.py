"""The publishing path's one logger. Its name gives the Sphinx warning type users see and may
silence (``confluence.publishing``), whichever step of the path a record comes from."""

from __future__ import annotations

import logging

__all__ = ["log"]

log = logging.getLogger("docs_confluence.publishing")
