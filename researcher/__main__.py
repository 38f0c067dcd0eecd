"""Allow `python -m researcher`."""

from researcher.cli import main

if __name__ == "__main__":
    main()
