"""Response schemas refuse a presenter's dict whose fields differ from theirs."""

from __future__ import annotations

import marshmallow as ma
import pytest

from carenet.core.responses import ResponseSchema, ShapeMismatch


class _Place(ResponseSchema):
    istat = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class _Thing(ResponseSchema):
    id = ma.fields.Integer(required=True)
    secret_level = ma.fields.String()  # optional: the field rules may leave it out
    place = ma.fields.Nested(_Place, required=True)


PLACE = {"istat": "001272", "name": "Torino"}


def test_a_dict_with_the_declared_fields_dumps() -> None:
    assert _Thing().dump({"id": 1, "place": PLACE}) == {"id": 1, "place": PLACE}
    assert _Thing().dump({"id": 1, "secret_level": "CS", "place": PLACE})["secret_level"] == "CS"


def test_a_key_the_schema_does_not_declare_is_refused_not_dropped() -> None:
    with pytest.raises(ShapeMismatch, match=r"_Thing.*\['colour'\]"):
        _Thing().dump({"id": 1, "colour": "red", "place": PLACE})


def test_a_missing_required_field_is_refused() -> None:
    with pytest.raises(ShapeMismatch, match=r"required \['id'\]"):
        _Thing().dump({"place": PLACE})


def test_nested_and_listed_dicts_are_checked_too() -> None:
    with pytest.raises(ShapeMismatch, match="_Place"):
        _Thing().dump({"id": 1, "place": {"istat": "001272"}})
    with pytest.raises(ShapeMismatch, match="_Thing"):
        _Thing(many=True).dump([{"id": 1, "place": PLACE}, {"id": 2}])
