"""The options, declared once, and the rules about what people write in them.

:mod:`.options` is the one declaration of every option (the types in :mod:`.declaration`, the
options themselves in :mod:`.publishing` and :mod:`.building`, other tools' names with no
equivalent in :mod:`.other_tools`), and :mod:`.options_page` renders docs/options.md from it.
Beside them, the rules each front end applies to a setting as written: secret-looking names
refused (:mod:`.secret_options`), "did you mean" (:mod:`.typos`) and the project id
(:mod:`.naming`). Nothing here imports MkDocs, Sphinx or the publisher.
"""
