"""Confluence's REST API, and nothing of the publisher: the client (:mod:`.client`) over one
:class:`~docs_confluence.rest.sender.Sender` (retries, the pace of :mod:`.throttle` and
:mod:`.in_flight`), the JSON read into the values of :mod:`.models` (:mod:`.responses`), and a
page's older versions (:mod:`.history`). Credentials come in through the client's constructor
as an ``httpx.Auth``; nothing here imports :mod:`docs_confluence.auth` or the publisher.
"""
