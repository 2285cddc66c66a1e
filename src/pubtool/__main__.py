"""Run the command line with ``python -m pubtool``."""

from pubtool.cli import main

main(prog_name="pubtool")  # usage lines and completion as for the installed command
