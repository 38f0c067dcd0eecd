"""Backups: a consistent copy of the notebook in one file (SQLite's online backup), and putting one back."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from researcher.store import Notebook
from researcher.store.archive import check_copy
from researcher.store.errors import Invalid, NotebookUnavailable
from researcher.text import quoted


def _target(path: Path, force: bool) -> Path:
    """Where the copy goes, checked: a file in an existing folder, not there yet unless forced."""
    try:
        target = path.expanduser()
        if target.is_dir():
            raise Invalid(f"{quoted(str(path))} is a folder; give a file name for the backup")
        if target.exists() and not force:
            raise Invalid(f"{quoted(str(path))} exists; add --force to overwrite it")
        folder = target.resolve().parent
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable file name"
        raise Invalid(f"cannot write {quoted(str(path))}: {reason}") from None
    if not folder.is_dir():
        raise Invalid(f"cannot write {quoted(str(path))}: folder {quoted(str(folder))} does not exist")
    return target


def backup(nb: Notebook, path: Path, force: bool = False) -> dict[str, Any]:
    """Copy the notebook to `path` whole or not at all (a temporary file beside it, checked, then renamed),
    owner-only, as one self-contained file; even while the TUI or a sync writes to the notebook."""
    target = _target(Path(path), force)
    if nb.path is not None and target.exists() and os.path.samefile(target, nb.path):
        raise Invalid("the backup would overwrite the notebook itself; give another path")
    started = time.perf_counter()
    try:
        fd, tmp = tempfile.mkstemp(dir=target.resolve().parent, prefix=".researcher-backup-", suffix=".tmp")
    except OSError as exc:
        raise NotebookUnavailable(f"cannot write {quoted(str(path))}: {exc.strerror or exc}") from None
    os.close(fd)  # (made owner-only: the copy is as private as the notebook)
    try:
        nb.backup_to_file(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(tmp + suffix)
        raise
    return {"path": str(target), "bytes": target.stat().st_size, "seconds": round(time.perf_counter() - started, 3)}


def check_backup(path: Path) -> None:
    """Raise the one-line reason when `path` is not a sound notebook this release can restore."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise Invalid(f"no backup at {quoted(str(path))}")
    check_copy(file).close()


def restore(nb: Notebook, path: Path) -> dict[str, Any]:
    """Replace the notebook's content with the backup at `path`, checked first; one step, under the write lock."""
    file = Path(path).expanduser()
    check_backup(file)
    if nb.path is not None and os.path.samefile(file, nb.path):
        raise Invalid("that backup is the notebook itself; nothing to restore")
    nb.restore_from(file)
    return {"path": str(file), "notebook": str(nb.path)}
