"""A Jupyter kernel for nn: it runs ``nn --serve`` and translates its replies into Jupyter messages."""

__version__ = "0.1.0"
