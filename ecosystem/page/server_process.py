"""The page's server process: Solara's own command line, in a process that ends with its parent.

`serve` starts this in a session of its own (so that the server's whole
process group can be signalled), with its own pid as the first argument;
the rest is handed to `solara`. If `serve` is killed outright, this process
notices that its parent is gone and exits, so the server never outlives it.
"""

import sys

from solara.__main__ import main as solara_main

from ecosystem.processes import exit_with_parent


def main(argv: list[str]) -> None:
    parent, *solara_arguments = argv
    exit_with_parent(int(parent))
    sys.argv = ["solara", *solara_arguments]
    solara_main()


if __name__ == "__main__":
    main(sys.argv[1:])
