"""``python -m newsetl``: the command line."""

from newsetl.flows.cli import run

if __name__ == "__main__":
    run()
