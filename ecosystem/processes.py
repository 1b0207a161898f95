"""Processes that end with the one that started them.

A process killed with SIGKILL gets no chance to stop what it started; its
children are handed to another parent and would run on, holding memory and
ports, with no one to read their results. Each child the tool starts watches
its parent and exits when that parent is gone.
"""

import os
import threading
import time

PARENT_POLL_SECONDS = 0.5


def exit_with_parent(parent: int) -> None:
    """Pool initializer: a thread that ends this worker once `parent` is gone.

    A SIGKILLed coordinator gets no chance to stop its pool; its workers are
    handed to another parent, and this notices and exits, so they do not run on
    (and hold their memory) with no one to read their results.
    """

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()
