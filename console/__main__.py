"""`python -m console` runs the same command line as `flagdesk` (through console/entry.py)."""

from console.entry import main

if __name__ == "__main__":
    main()
