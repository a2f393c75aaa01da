"""The builder's own ``confluence_*`` values are checked by their declared kind
(docs_confluence/settings/): a value of the wrong shape stops the build, naming it."""

from __future__ import annotations

import pytest

from sphinx_confluence.config import _BUILD

from .conftest import config_errors


@pytest.mark.parametrize("value", [3.5, None])
@pytest.mark.parametrize("declared", _BUILD, ids=lambda o: o.sphinx)
def test_a_value_of_the_wrong_shape_is_named(make_app, rootdir, declared, value):
    if value is None and declared.default is None and declared.kind in {"text", "notice"}:
        pytest.skip("None is this value's default: unset")
    app = make_app(
        "confluence", srcdir=rootdir / "test-tree", confoverrides={declared.sphinx: value}
    )
    assert f"conf.py: {declared.sphinx} = {value!r}: expected" in config_errors(app)
