"""Runs of the newsetl CLI forked from one process that has imported everything once.

The crash test kills runs with SIGKILL at chosen moments of their work; a fresh interpreter
would spend most of each run importing Prefect and loading spaCy. This process does that
once, then for each request forks a child that runs ``newsetl.flows.cli.main`` (a real
process, killed for real) and answers with its pid.

Protocol, one JSON object per line on stdin, one answer per line on stdout:
``{"argv": [...], "env": {...}, "log": PATH}`` -> ``{"pid": N}`` (output goes to PATH);
``{"poll": N}`` -> ``{"status": S}`` once the child ended (its wait status), else
``{"status": null}``. The environment of this process (PREFECT_API_URL above all) must be
set before it starts: Prefect reads its settings at import.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    import newsetl.flows.backfill  # noqa: F401 - imported once, for every child
    import newsetl.flows.ingest  # noqa: F401
    import newsetl.flows.web_backfill  # noqa: F401
    from newsetl.extract.nlp import load_nlp
    from newsetl.flows.cli import main as cli_main

    load_nlp()
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "poll" in request:
            pid, status = os.waitpid(request["poll"], os.WNOHANG)
            print(json.dumps({"status": status if pid else None}), flush=True)
            continue
        pid = os.fork()
        if pid == 0:
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.environ.update(request["env"])
            code = 1
            try:
                code = cli_main(request["argv"])
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)


if __name__ == "__main__":
    main()
