"""LGF Desktop: the learning and improvement framework of a children's safeguarding partnership, offline."""

__version__ = "0.1.0"
APP_NAME = "LGF Desktop"
