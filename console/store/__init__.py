"""Storage: the only SQL. One SQLite file shared by every operator's process (see db.py).

Deliberately empty: the quick `flagdesk status` imports store/reads.py alone, without db.py and sqlite-utils.
"""
