import sys

from .cli import main

if __name__ == "__main__":  # not when a spawned parse worker imports the main module
    sys.exit(main())
