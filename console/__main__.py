"""`python -m console` runs the same command line as `flagdesk` (through console/cli/entry.py)."""

from console.cli.entry import main

if __name__ == "__main__":
    main()
