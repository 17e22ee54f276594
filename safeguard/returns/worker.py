"""Read a return in a worker process, piece by piece, while this process loads what is read.

A 50,000-child CIN census takes about 3 s of CPU to read and about as long again to load
(issue 3's benchmark). Read first and load after, an import takes the sum; with the reading in
another process on the second core it takes about the longer of the two. The worker only reads
(lxml and polars: no Django, no database, nothing written): it sends each piece as soon as it is
read, and the importer decides what to load and when, in its own single transaction
(`importing._import_streamed`). A refusal of the whole file in the worker is raised here as the
same `ReturnRefused`.

The worker is a fresh interpreter (`python -m safeguard.returns.worker FD`), not a fork (which
would share this process's database connection and polars' thread pool) nor multiprocessing's
spawn (which re-runs the caller's main script). It is told what to read on its standard input
and answers with pickled messages on its own pipe, which a thread here drains as they come, so
the worker never waits for the importer. The messages are our own code's, from our own child:
the file's bytes never reach the unpickler. The worker stops when the importer goes away (even
killed with -9: its next message finds the pipe closed) and writes nothing to standard output.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from . import safety
from .codec import ReturnRefused

PROGRESS_STEP = 1 << 20  # bytes read between two progress messages
FAILED = "The reader process stopped without finishing (exit code {code})."


def pieces(
    read: Callable[..., Iterator],
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    **options,
) -> Iterator:
    """Each piece `read(path, **options)` yields, read in a worker process; `read` must be a
    module-level function (it is sent to the worker by name). Close the iterator (or exhaust
    it) to stop the worker."""
    out, into = os.pipe()
    proc = subprocess.Popen(  # noqa: S603 - this interpreter and this module
        [sys.executable, "-m", __name__, str(into)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        pass_fds=(into,),
    )
    os.close(into)
    inbox: queue.Queue = queue.Queue()
    drain = threading.Thread(target=_drain, args=(out, inbox), name="reader-inbox", daemon=True)
    drain.start()
    try:
        assert proc.stdin is not None
        step = PROGRESS_STEP if progress is not None else 0
        proc.stdin.write(pickle.dumps((read, str(path), options, step)))
        proc.stdin.close()
        while True:
            kind, value = inbox.get()
            if kind == "progress" and progress is not None:
                progress(value)
            elif kind == "piece":
                yield value
            elif kind == "done":
                return
            elif kind == "refused":
                raise ReturnRefused(value)
            elif kind == "error":
                raise RuntimeError(value)
            elif kind == "end":
                raise RuntimeError(FAILED.format(code=proc.wait()))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        drain.join()


def _drain(fd: int, inbox: queue.Queue) -> None:
    """Move the worker's messages into the inbox as they come, then "end"."""
    with os.fdopen(fd, "rb") as stream:
        while True:
            try:
                inbox.put(pickle.load(stream))  # noqa: S301 - our own worker's messages
            except (EOFError, OSError, pickle.UnpicklingError):
                inbox.put(("end", None))
                return


def _serve(fd: int) -> None:
    """In the worker: read what the importer asks, sending every piece, then "done"; or the
    refusal, or the error."""
    read, path, options, step = pickle.load(sys.stdin.buffer)  # noqa: S301 - the importer's
    with os.fdopen(fd, "wb") as stream:

        def send(kind: str, value: object) -> None:
            pickle.dump((kind, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.flush()

        if step:
            sent = [0]

            def hook(done: int) -> None:
                if done - sent[0] >= step:
                    sent[0] = done
                    send("progress", done)

            safety.progress_hook.set(hook)
        try:
            for piece in read(Path(path), **options):
                send("piece", piece)
            send("done", None)
        except ReturnRefused as refused:
            send("refused", refused.problems)
        except BrokenPipeError:
            return  # the importer is gone: nobody to read for
        except Exception as error:  # noqa: BLE001 - reported to the importer, which raises it
            send("error", f"The reader process failed: {type(error).__name__}: {error}")


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
