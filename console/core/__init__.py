"""The domain below every face: the model, the clock, untrusted-text cleaning, triage, rules, settings.

Imports nothing else of the package and none of textual, rich, click, sqlite3 or sqlite_utils.
"""
