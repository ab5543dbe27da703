"""Get a traveller's devices ready for a multi-device eSIM plan."""

__version__ = "0.1.0"
