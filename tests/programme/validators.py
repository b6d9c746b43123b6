"""The c3voc schedule validator's schemas (tests/fixtures/frab, see its README), as the tests apply them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import xmlschema

FRAB = Path(__file__).resolve().parent.parent / "fixtures" / "frab"


@cache
def _xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(FRAB / "schedule.xml.xsd"))


@cache
def _json_schema() -> jsonschema_rs.Draft6Validator:
    schema = json.loads((FRAB / "schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.Draft6Validator(schema, validate_formats=True)


def xml_errors(data: bytes) -> list[str]:
    """What the XSD finds wrong in schedule.xml (nothing: [])."""
    return [str(error.reason or error) for error in _xsd().iter_errors(data.decode("utf-8"))]


def json_errors(doc: Any) -> list[str]:
    """What the JSON schema (draft 6, formats checked) finds wrong in schedule.json's content."""
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in _json_schema().iter_errors(doc)]
