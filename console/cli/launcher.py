#!python
"""The installed `flagdesk` command: installed as a script of its own (pyproject.toml's shared-scripts) rather
than by pip's generated wrapper, which imports `re` before anything else (9 ms of a 46 ms `flagdesk status`
run by an SSH login banner). It imports only console/cli/entry.py, which decides between the quick status
path and the click command line."""
import sys

if __name__ == "__main__":
    from console.cli.entry import main

    sys.exit(main())
