"""gongkai (公开): an open-source government information disclosure platform."""

__version__ = "0.1.0"
