"""Drift tests: the README documents every command and every key, so the faces and their manual stay one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import click
import pytest
from textual.binding import Binding

import researcher.tui
from researcher.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    """Every command path: leaves, and groups that run on their own (`researcher network`)."""
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            if command.invoke_without_command:
                yield path
            yield from commands(command, path)
        else:
            yield path


def documented_commands() -> set[tuple[str, ...]]:
    """The command paths README's CLI reference names: `researcher a b ...` lines, where `| c ...` names a
    sibling (`researcher feed discover URL | list | rm URL`), a subcommand when the path before is a group
    run alone (`researcher network [--json] | goal N`), or a new path when it is a top-level command."""
    block = README.split("## Command line", 1)[1].split("```", 2)[1]
    found: set[tuple[str, ...]] = set()
    for line in block.splitlines():
        line = line.strip()
        if not line.startswith("researcher "):
            continue
        group: tuple[str, ...] = ()
        for words in (segment.split() for segment in line[len("researcher ") :].split(" | ")):
            start = group if words and words[0] in _command(group).commands else ()  # type: ignore[attr-defined]
            path = list(start)
            for word in words:
                current = _command(tuple(path))
                if not (isinstance(current, click.Group) and word in current.commands):
                    break
                path.append(word)
            if len(path) > len(start):
                found.add(tuple(path))
                group = tuple(path) if isinstance(_command(tuple(path)), click.Group) else tuple(path[:-1])
    return found


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for word in path:
        command = command.commands[word]  # type: ignore[attr-defined]
    return command


def test_every_command_is_in_the_readme():
    missing = sorted(" ".join(p) for p in set(commands()) - documented_commands())
    assert not missing, f"commands missing from README's CLI reference: {missing}"


def test_the_readme_names_no_command_that_does_not_exist():
    documented = documented_commands()
    assert documented, "README's CLI reference could not be read"
    assert documented <= set(commands())


# -- keys ----------------------------------------------------------------------------------------------------------

# How the README writes a key Textual names otherwise.
KEY_NAMES = {
    "question_mark": "?",
    "asterisk": "*",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "plus": "+",
    "minus": "-",
    "full_stop": ".",
    "comma": ",",
}
# Keys every list and dialog has by nature (Textual's own, or arrows the README names as "arrows").
UNDOCUMENTED_OK = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end"}


def bindings():
    """(owner, binding) of every BINDINGS in researcher.tui, app, screens and widgets."""
    for module_info in pkgutil.walk_packages(researcher.tui.__path__, "researcher.tui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    yield cls.__name__, binding
                elif isinstance(binding, tuple):
                    yield cls.__name__, Binding(*binding)


def readme_keys() -> set[str]:
    table = README.split("## Keys", 1)[1].split("\n## ", 1)[0]
    keys = set(re.findall(r"`([^`]+)`", table))
    for low, high in re.findall(r"`(\d)`[–-]`(\d)`", table):  # `1`–`7`
        keys |= {str(n) for n in range(int(low), int(high) + 1)}
    return keys


def test_every_binding_is_in_the_readme_key_table():
    documented = readme_keys()
    missing = []
    for owner, binding in bindings():
        keys = [KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(",")]
        if all(k in UNDOCUMENTED_OK for k in keys):
            continue
        if not any(k in documented for k in keys):
            missing.append(f"{owner}: {binding.key} ({binding.description or binding.action})")
    assert not missing, "keys missing from README's key table:\n" + "\n".join(sorted(set(missing)))


def test_every_binding_says_what_it_does():
    silent = [f"{owner}: {b.key} -> {b.action}" for owner, b in bindings() if not b.description]
    assert not silent, "bindings without a description (the ? screen lists them by it):\n" + "\n".join(silent)


@pytest.mark.parametrize("key", ["ctrl+p", "ctrl+f", "?", "escape", "q", "s", "n"])
def test_the_global_keys_are_documented(key):
    assert key in readme_keys()
