"""The demo: seed.py builds the demo databases from the notices and phrases in data/."""
