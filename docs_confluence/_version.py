"""The one place the version is written: hatch reads it for the package metadata, and the
engine (``__version__``, the User-Agent) and the front ends import it from here."""

__version__ = "0.1.0"
