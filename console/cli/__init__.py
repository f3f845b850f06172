"""The command-line face: `flagdesk` and its subcommands (entry.py is the door)."""
