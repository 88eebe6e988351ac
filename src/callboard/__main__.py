"""`python -m callboard`: the same as the `callboard` command."""

from callboard.cli.app import main

main()
