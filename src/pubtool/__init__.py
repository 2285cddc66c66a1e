"""pubtool: publish one book in several languages, for e-readers and for print."""

__version__ = "0.1.0"
