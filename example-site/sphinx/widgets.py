"""Widgets: the small library this example documents with autodoc."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["COLOURS", "Factory", "Widget", "WidgetError", "assemble"]

#: Colours a widget may have.
COLOURS = ("blue", "green", "red")


class WidgetError(Exception):
    """Raised when a widget cannot be built."""


@dataclass
class Widget:
    """A widget, the unit of work.

    :param name: what people call it.
    :param colour: one of :data:`COLOURS`.
    :param tags: free-form labels.
    """

    name: str
    colour: str = "blue"
    tags: list[str] = field(default_factory=list)

    def paint(self, colour: str) -> Widget:
        """Return a copy of this widget in another colour.

        :param colour: the new colour.
        :raises WidgetError: if *colour* is not in :data:`COLOURS`.
        :returns: a new :class:`Widget`.

        >>> Widget("w").paint("red").colour
        'red'
        """
        if colour not in COLOURS:
            raise WidgetError(f"unknown colour {colour!r}")
        return Widget(self.name, colour, list(self.tags))


class Factory:
    """Builds widgets, at most *capacity* at a time.

    .. versionadded:: 1.2
    """

    def __init__(self, capacity: int = 10) -> None:
        self.capacity = capacity

    def build(self, *names: str, colour: str = "blue") -> list[Widget]:
        """Build one widget per name.

        .. deprecated:: 2.0
           Use :func:`assemble` instead.
        """
        return [Widget(name, colour) for name in names[: self.capacity]]


def assemble(names: list[str], *, factory: Factory | None = None) -> list[Widget]:
    """Build widgets with *factory* (a new one by default).

    See :class:`Factory` and the :doc:`/guide/code` page.
    """
    return (factory or Factory()).build(*names)
