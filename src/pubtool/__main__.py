"""Run the command line with ``python -m pubtool``."""

from pubtool.cli import main

main()
