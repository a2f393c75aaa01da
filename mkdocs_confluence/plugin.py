"""The ``confluence`` MkDocs plugin: glue between MkDocs' events and the bundle and engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.plugins import BasePlugin, event_priority

from docs_confluence import ConfluencePublisherError, publish_bundle
from docs_confluence.ci import with_ci_report
from docs_confluence.settings.naming import project_id

from .convert import CodeAnnotations
from .logs import EngineLogRouting, log, plugin_error
from .options import ConfluenceConfig, publisher_config
from .site_bundle import SiteBuild, write_site_bundle

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from docs_confluence import PublisherConfig

__all__ = ["ConfluencePlugin"]

BUNDLE_DIR = ".confluence-bundle"


class ConfluencePlugin(BasePlugin[ConfluenceConfig]):  # type: ignore[no-untyped-call]
    """Publish what MkDocs rendered into Confluence, in the tree of the nav."""

    def __init__(self) -> None:
        super().__init__()
        self._command: str | None = None
        self._routing = EngineLogRouting()
        self._active = False
        self._target: PublisherConfig | None = None
        self._nav: Navigation | None = None
        self._files: Files | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember the command: ``mkdocs serve`` and ``--dirty`` builds (which render only
        changed pages) never convert nor publish."""
        self._command = "dirty" if dirty else command

    def on_shutdown(self) -> None:
        """The MkDocs command is over (MkDocs keeps this plugin object for the process)."""
        self._command = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the target with the engine's rules; route engine logs into MkDocs."""
        self._active = bool(self.config.enabled) and self._command not in {"serve", "dirty"}
        if not self._active:
            if self.config.enabled and self._command == "dirty":
                log.info("A --dirty build renders only changed pages: nothing is converted")
            return config
        self._routing.start()
        try:
            self._target = publisher_config(self.config, project=project_id(config.site_name))
        except ConfluencePublisherError as exc:
            self._routing.stop()
            raise plugin_error(exc) from exc
        if "pymdownx.highlight" in config.markdown_extensions:
            # The code macro needs each block's language; this only adds a class to the HTML.
            config.mdx_configs.setdefault("pymdownx.highlight", {})
            config.mdx_configs["pymdownx.highlight"].setdefault("pygments_lang_class", True)
        return config

    @event_priority(-100)  # after every plugin that changes the nav
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        """Keep the resolved navigation: it is the page tree."""
        self._nav = nav

    @event_priority(-100)  # after every plugin that adds files
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> None:
        """Keep the final file list (pages, images and other files to attach)."""
        self._files = files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the bundle from the rendered pages; publish it (or plan, with ``dry_run``)
        when a target is set and ``publish`` is on. A failure fails the build."""
        if not self._active or self._nav is None or self._files is None:
            return
        try:
            here = Path(config.config_file_path).parent if config.config_file_path else Path()
            directory = Path(self.config.bundle_dir or here / BUNDLE_DIR)
            annotations = CodeAnnotations.of(
                config.theme.get("features"), config.extra.get("annotate")
            )
            build = SiteBuild(
                self._nav.items, self._files, config.site_url, annotations, config.docs_dir
            )
            assert self._target is not None
            bundle = write_site_bundle(
                build,
                self.config,
                project=self._target.project or project_id(config.site_name),
                directory=directory,
            )
            log.info("Wrote %d pages to the bundle in %s", len(bundle.pages), directory)
            if not self.config.publish:
                log.info("Not publishing: publish is off in mkdocs.yml")
            elif not self._target.publishes:
                log.info(
                    "Not publishing: no Confluence site is set (url in mkdocs.yml, or "
                    "CONFLUENCE_URL and CONFLUENCE_SPACE in the environment)"
                )
            else:
                target = self._target
                with_ci_report(lambda: publish_bundle(bundle, target))
        except ConfluencePublisherError as exc:
            raise plugin_error(exc) from exc
        finally:
            self._routing.stop()

    def on_build_error(self, *, error: Exception) -> None:
        """Stop routing engine logs when the build fails."""
        self._routing.stop()
