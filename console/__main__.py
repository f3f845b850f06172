"""`python -m console` runs the same command line as `flagdesk`."""

from console.cli import main

if __name__ == "__main__":
    main()
