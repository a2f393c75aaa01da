"""The publishing path, one step a module: what the front ends call, and how a bundle becomes
writes to Confluence.

* :mod:`.publish`: the façade: :func:`publish_bundle`, :func:`plan_bundle`, :func:`open_client`.
* :mod:`.report`: :class:`PublishReport`, what a publish tells its caller.
* :mod:`.remote`: reads what the plan needs from Confluence, in a handful of requests.
* :mod:`.ownership`: the ownership index as data, and the markers our writes carry.
* :mod:`.compare` (with :mod:`.title_moves` and :mod:`.limits`): the pure comparison of the
  bundle with the remote state, which makes the :mod:`.plan`.
* :mod:`.plan`: the plan's actions, and its human format.
* :mod:`.apply` (with :mod:`.index_writer`): carries a plan out and records what it did.
"""

from __future__ import annotations

from .plan import format_plan
from .publish import open_client, plan_bundle, publish_bundle
from .report import PublishReport

__all__ = ["PublishReport", "format_plan", "open_client", "plan_bundle", "publish_bundle"]
