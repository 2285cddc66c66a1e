"""Parse YAML (PyYAML) into plain data that remembers the line of every key and list item,
rejecting duplicate keys.

PyYAML silently keeps the last of two equal keys; a book would then lose a glossary
entry without a word. Here a duplicate key is an error at its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pubtool.errors import Location, Report


class LinedDict(dict[Any, Any]):
    """A mapping from YAML that knows its own line and the line of each key (from 1)."""

    line: int
    key_lines: dict[Any, int]


class LinedList(list[Any]):
    """A sequence from YAML that knows its own line and the line of each item (from 1)."""

    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    report: Report
    path: Path
    first_line: int


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LinedDict:
    loader.flatten_mapping(node)
    result = LinedDict()
    result.line = node.start_mark.line + loader.first_line
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + loader.first_line
        try:
            hash(key)
        except TypeError:
            loader.report.error(
                "yaml-key", "a mapping key must be a plain value", Location(loader.path, line)
            )
            continue
        if key in result:
            loader.report.error(
                "yaml-duplicate",
                f"duplicate key {key!r} (first defined on line {result.key_lines[key]})",
                Location(loader.path, line),
                "rename or remove one of them: YAML keeps only one",
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode, deep: bool = False) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + loader.first_line
    result.item_lines = [child.start_mark.line + loader.first_line for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date or time, or the text as written when it is no real date (2026-13-01)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(text: str, path: Path, report: Report, first_line: int = 1) -> Any:
    """Parse ``text``; on a syntax error report it at its line and return None.

    ``first_line`` is the line of ``text``'s first line in ``path`` (for front matter).
    """
    loader = _Loader(text)
    loader.report, loader.path, loader.first_line = report, path, first_line
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        report.error(
            "yaml-syntax",
            f"YAML syntax error: {problem}",
            Location(path, line),
            "check indentation, and quote values that contain ': ' or start with a backtick or '{'",
        )
        return None
    except yaml.YAMLError as exc:
        report.error("yaml-syntax", f"YAML error: {exc}", Location(path))
        return None
    finally:
        loader.dispose()


def dump_yaml(data: Any) -> str:
    """``data`` as YAML a person can read and edit: keys in the order given, text as
    written (not escaped), one value per line."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
