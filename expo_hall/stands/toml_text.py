"""Writing a stand.toml back: the plain values a package holds (text, numbers, true/false, dates, tables and
arrays of tables), in the order given. Only what tomllib reads back the same is written."""

from __future__ import annotations

import datetime as dt
import json
import re

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(name: str) -> str:
    return name if BARE_KEY.match(name) else toml_value(name)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string, escapes and all
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_document(doc: dict[str, object]) -> str:
    """`doc` as TOML text: plain keys first, then each table (its own sub-tables inline), then arrays of tables."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in doc.items()
             if not isinstance(v, dict) and not _is_table_array(v)]
    for name, table in doc.items():
        if isinstance(table, dict):
            lines += ["", f"[{toml_key(name)}]"]
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    for name, items in doc.items():
        if _is_table_array(items):
            for item in items:
                lines += ["", f"[[{toml_key(name)}]]"]
                lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"
