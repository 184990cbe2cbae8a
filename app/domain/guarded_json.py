"""Bytes to JSON with limits: the one guarded way a preset file (and a calibration or measurements
file, through :func:`read_text`) is read.

A preset file is a few kB of JSON written by a person or by Jevons. Anything
else -- a device that never ends (``/dev/zero``), a pipe with no writer, a
folder, a file nested a thousand levels deep, a number of five thousand digits,
the same key twice -- is refused with a :class:`Problem` naming the file and,
where it can, the line and column or the field path. Nothing here raises
anything but :class:`PresetFileError`.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from app.domain.errors import PresetFileError, Problem
from app.json_errors import json_error_text

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Preset files are a few kB; anything this large is not one."""
MAX_DEPTH = 32
"""The deepest preset nests about 6 levels (comparison > scenario > model > training > field)."""
MAX_NUMBER_CHARS = 40
"""The longest float Python writes is 24 characters; a longer number is not a measurement."""


def read_text(path: Path, kind: str = "preset file", limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (``kind`` names what the file should be).

    The file is opened without blocking and checked with ``fstat`` before any
    byte is read, so a pipe, device or folder is refused and never read.
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise PresetFileError([Problem(name, "", "file not found")]) from None
    except IsADirectoryError:
        raise PresetFileError([Problem(name, "", f"is a folder, not a {kind}")]) from None
    except OSError as error:
        raise PresetFileError([Problem(name, "", f"cannot be read: {error.strerror or error}")]) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise PresetFileError([Problem(name, "", f"is a folder, not a {kind}")])
        if not stat.S_ISREG(info.st_mode):
            raise PresetFileError([Problem(name, "", "is not a regular file (a device, pipe or socket)")])
        if info.st_size > limit:
            raise PresetFileError([Problem(name, "", _too_large(info.st_size, kind, limit))])
        raw = _read_at_most(descriptor, limit + 1)
    except OSError as error:
        raise PresetFileError([Problem(name, "", f"cannot be read: {error.strerror or error}")]) from None
    finally:
        os.close(descriptor)
    if len(raw) > limit:  # grew while being read
        raise PresetFileError([Problem(name, "", _too_large(len(raw), kind, limit))])
    if b"\x00" in raw:
        raise PresetFileError([Problem(name, "", "is not a text file (it contains binary data)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PresetFileError(
            [Problem(name, "", f"is not UTF-8 text (undecodable byte at offset {error.start})")]
        ) from None


def _too_large(size: int, kind: str, limit: int) -> str:
    return f"is {size / 1e6:.1f} MB; {kind}s are at most {limit / 1e6:.0f} MB"


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(descriptor, min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


class _Refused(Exception):
    """Raised inside the decoder's hooks; carries the problem and the text to locate."""

    def __init__(self, message: str, token: str = ""):
        super().__init__(message)
        self.message = message
        self.token = token


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it saw more than once."""

    __slots__ = ("repeated",)
    repeated: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object()
    repeated: list[str] = []
    for key, value in pairs:
        if key in result and key not in repeated:
            repeated.append(key)
        result[key] = value
    result.repeated = repeated
    return result


def _number(kind: type) -> Any:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(
                f"a number of {len(text)} characters is too long (at most {MAX_NUMBER_CHARS}): "
                f"{text[:12]}…",
                text,
            )
        return kind(text)

    return parse


def _constant(text: str) -> Any:
    raise _Refused(f"{text} is not a number JSON allows; give a finite number", text)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant
)


def _where(text: str, token: str) -> str:
    index = text.find(token) if token else -1
    if index < 0:
        return ""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f" at line {line}, column {column}"


def parse_json(text: str, name: str) -> Any:
    """Decode JSON text with the limits above; plain dicts and lists come out."""
    try:
        document = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise PresetFileError(
            [Problem(name, "", f"is not valid JSON: {json_error_text(error)}")]
        ) from None
    except _Refused as refused:
        raise PresetFileError([Problem(name, "", f"{refused.message}{_where(text, refused.token)}")]) from None
    except RecursionError:
        raise PresetFileError([Problem(name, "", f"is nested too deeply (at most {MAX_DEPTH} levels)")]) from None
    return _checked(document, name)


def _checked(document: Any, name: str) -> Any:
    """Plain containers, after checking depth and repeated keys (without recursion)."""
    problems: list[Problem] = []
    root: list[Any] = [None]
    stack: list[tuple[Any, list[Any] | dict[Any, Any], Any, str, int]] = [(document, root, 0, "", 1)]
    while stack:
        node, parent, slot, path, depth = stack.pop()
        if not isinstance(node, (dict, list)):
            parent[slot] = node
            continue
        if depth > MAX_DEPTH:
            raise PresetFileError(
                [Problem(name, path, f"is nested too deeply (more than {MAX_DEPTH} levels)")]
            )
        if isinstance(node, dict):
            for key in getattr(node, "repeated", ()):
                problems.append(
                    Problem(name, _join(path, key), "appears more than once in the same object; keep one")
                )
            copy: dict[str, Any] = {}
            parent[slot] = copy
            for key, value in node.items():
                copy[key] = None
                stack.append((value, copy, key, _join(path, key), depth + 1))
        else:
            items: list[Any] = [None] * len(node)
            parent[slot] = items
            for index, value in enumerate(node):
                stack.append((value, items, index, f"{path}[{index}]", depth + 1))
    if problems:
        raise PresetFileError(problems)
    return root[0]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
