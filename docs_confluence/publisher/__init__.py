"""The publishing path, one step a module: what the front ends call, and how a bundle becomes
writes to Confluence.

* :mod:`.publish`: the façade: :func:`publish_bundle` (``docs-confluence plan`` is its dry run),
  :func:`plan_bundle`; :mod:`.connect`: :func:`open_client`.
* :mod:`.report`: :class:`PublishReport`, what a publish tells its caller.
* :mod:`.remote`: reads what the plan needs from Confluence, in a handful of requests.
* :mod:`.ownership`: the ownership index as data, and the markers our writes carry.
* :mod:`.matching`: which Confluence page is ours (:class:`~.matching.RemoteState` in,
  :class:`~.matching.Matches` out).
* :mod:`.compare` (with :mod:`.retitles`, :mod:`.title_moves`, :mod:`.order`, :mod:`.extras`
  and :mod:`.limits`): the pure comparison of the bundle with the remote state
  (:class:`~.compare.Comparison`), which makes the :mod:`.plan`.
* :mod:`.plan`: the plan's actions, and its human format.
* :mod:`.apply` (with :mod:`.creates` and :mod:`.index_writer`): carries a plan out and records
  what it did (:mod:`.apply_result`).
"""

from __future__ import annotations

from .connect import open_client
from .plan import format_plan
from .publish import plan_bundle, publish_bundle
from .report import PublishReport

__all__ = ["PublishReport", "format_plan", "open_client", "plan_bundle", "publish_bundle"]
