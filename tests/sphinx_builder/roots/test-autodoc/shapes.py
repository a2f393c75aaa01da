"""Shapes for testing autodoc."""


class Circle:
    """A circle.

    :param radius: how big it is.
    """

    def __init__(self, radius: float) -> None:
        self.radius = radius

    def area(self, *, precise: bool = False) -> float:
        """The area.

        :param precise: use more digits of pi.
        :returns: The area of the circle.
        """
        return 3.14159 * self.radius**2


def scale(shape: Circle, factor: float = 2.0) -> Circle:
    """Return a bigger *shape*."""
    return Circle(shape.radius * factor)
