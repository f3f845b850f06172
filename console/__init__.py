"""flagdesk: a keyboard-driven console for Amazon seller performance notifications."""

__version__ = "0.1.0"
