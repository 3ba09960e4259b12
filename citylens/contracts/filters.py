"""The one filter over incidents: ``GET /incidents``, its counts and search all take an :class:`IncidentFilter`.

Each field names the incident column it tests (a :class:`Column` in its annotation), so the store's SQL
translation (``services.store.incident_where``) and the search's in-memory mask (``services.search.attrs``)
both read that one declaration: adding a filter field is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


@dataclass(frozen=True)
class Column:
    """The stored column a filter field tests, and how: ``in`` (any of the values), ``eq``, ``ge``, ``lt``.

    ``name`` is a column of the incident (an ``IncidentBase`` field), or ``colour``, the colour the search
    index derives for each incident (``incident_attrs``).
    """

    name: str
    op: Literal["in", "eq", "ge", "lt"] = "in"


Values = tuple[str, ...]


class IncidentFilter(BaseModel):
    """Which incidents a listing, a count or a search may return; empty tuples and ``None`` mean "any".

    Times are UTC, ``since`` inclusive and ``until`` exclusive, on ``started_at``. A search parser's
    preferences (``soft``) and exclusions (``exclude``) are filters of this type too.

    Example:
        >>> IncidentFilter(types=("loitering",)).is_empty()
        False
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: Annotated[datetime | None, Column("started_at", "ge")] = Field(None, description="started_at >= since (UTC)")
    until: Annotated[datetime | None, Column("started_at", "lt")] = Field(None, description="started_at < until (UTC)")
    cameras: Annotated[Values, Column("camera_id")] = Field((), description="camera ids")
    zones: Annotated[Values, Column("zone")] = ()
    types: Annotated[Values, Column("type")] = Field((), description="incident types (IncidentType values)")
    classes: Annotated[Values, Column("object_class")] = Field((), description="detector classes, e.g. car, truck")
    colours: Annotated[Values, Column("colour")] = Field(
        (), description="canonical colours (services.search.vocab.COLOURS values)")
    severities: Annotated[Values, Column("severity")] = Field((), description="severities (Severity values)")
    state: Annotated[str | None, Column("state", "eq")] = Field(None, description="lifecycle state (IncidentState value)")
    ids: Annotated[Values, Column("id")] = Field((), description="incident ids")
    run_id: Annotated[str | None, Column("run_id", "eq")] = Field(None, description="the run that raised them")

    def set_fields(self) -> dict[str, object]:
        """The fields that narrow (not ``None``, not empty), by name."""
        return {k: v for k, v in self if v not in (None, (), "")}

    def is_empty(self) -> bool:
        return not self.set_fields()

    def merged(self, override: IncidentFilter | None) -> IncidentFilter:
        """This filter with every field that ``override`` sets replacing ours."""
        if override is None:
            return self
        return self.model_copy(update=override.set_fields())


#: For each field of :class:`IncidentFilter`, the column it tests (read by the SQL translation and the mask).
FILTER_COLUMNS: dict[str, Column] = {
    name: next(m for m in f.metadata if isinstance(m, Column)) for name, f in IncidentFilter.model_fields.items()
}

__all__ = ["FILTER_COLUMNS", "Column", "IncidentFilter"]
