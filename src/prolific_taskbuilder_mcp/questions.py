"""Typed questions for `create_batch`, each checked against the reference (4.5) before anything is sent, and the
`batch_items` layout built from them (4.4): one body page showing the dataset's fields beside the questions.

Pure: no I/O, no MCP.
"""

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1, max_length=1000, description="The question as participants see it")]
Label = Annotated[str, Field(min_length=1, max_length=200)]
Value = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]
SHOWN_FIELD_TYPES = frozenset({"text", "image_url", "audio_url", "video_url"})
"""Dataset field types a layout may show participants (4.4); `metadata` and `task_group_id` are not shown."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(_Strict):
    label: Label
    value: Value = Field(description="What answers carry, e.g. 'helpful' (letters, digits, _ . -)")
    exclusive: bool = Field(default=False, description="Picking it clears the others (e.g. 'None of the above')")


class OptionWithText(Option):
    heading: Label = Field(description="The prompt above this option's text box, e.g. 'Why?'")


def _check_pick(pick: int, options: list[Any]) -> None:
    if pick == 0 or pick < -1:
        raise ValueError("pick must be 1 (one option), -1 (any number) or n (up to n)")
    if pick > len(options):
        raise ValueError(f"pick {pick} exceeds the {len(options)} options")
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        raise ValueError("option values must be distinct")


class FreeText(_Strict):
    type: Literal["free_text"]
    text: Text
    min_length: int | None = Field(default=None, ge=0, le=100_000, description="Fewest characters accepted")
    max_length: int | None = Field(default=None, ge=1, le=100_000, description="Most characters accepted")
    placeholder: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min_length is not None and self.max_length is not None and self.min_length > self.max_length:
            raise ValueError("min_length is larger than max_length")
        return self


class MultipleChoice(_Strict):
    type: Literal["multiple_choice"]
    text: Text
    options: list[Option] = Field(min_length=2, max_length=25)
    pick: int = Field(default=1, description="1: one option; -1: any number; n: up to n")

    @model_validator(mode="after")
    def _limit(self) -> Self:
        _check_pick(self.pick, self.options)
        return self


class MultipleChoiceWithFreeText(MultipleChoice):
    """As multiple_choice, with a text box under each option (its heading says what to write)."""

    type: Literal["multiple_choice_with_free_text"]  # type: ignore[assignment]
    options: list[OptionWithText] = Field(min_length=2, max_length=25)  # type: ignore[assignment]


class Unit(_Strict):
    label: Label = Field(description="What participants see, e.g. °C")
    value: Value
    min: float | None = None
    max: float | None = None


class FreeTextWithUnit(_Strict):
    type: Literal["free_text_with_unit"]
    text: Text
    units: list[Unit] = Field(min_length=2, max_length=10)
    unit_position: Literal["prefix", "suffix"] = "suffix"
    default_unit: str | None = Field(default=None, description="One of the units' values")

    @model_validator(mode="after")
    def _default(self) -> Self:
        if self.default_unit is not None and self.default_unit not in {unit.value for unit in self.units}:
            raise ValueError("default_unit must be one of the units' values")
        return self


class FileUpload(_Strict):
    type: Literal["file_upload"]
    text: Text
    accepted_file_types: list[Annotated[str, Field(pattern=r"^\.[A-Za-z0-9]{1,10}$")]] = Field(
        default_factory=list, max_length=20, description="Extensions with the dot, e.g. .pdf"
    )
    min_files: int = Field(default=1, ge=1, le=20)
    max_files: int = Field(default=1, ge=1, le=20)
    max_file_size_mb: float = Field(default=10, gt=0, le=1000)

    @model_validator(mode="after")
    def _counts(self) -> Self:
        if self.max_files < self.min_files:
            raise ValueError("max_files is smaller than min_files")
        return self


Question = Annotated[
    FreeText | MultipleChoice | MultipleChoiceWithFreeText | FreeTextWithUnit | FileUpload,
    Field(discriminator="type"),
]


def item(question: Question) -> dict[str, Any]:
    """The question as a `batch_items` item (reference 4.5)."""
    base: dict[str, Any] = {"type": question.type, "description": question.text}
    if isinstance(question, FreeText):
        if question.min_length is not None or question.max_length is not None:
            base["validation"] = {"type": "string", "min": question.min_length, "max": question.max_length}
        if question.placeholder:
            base["placeholder_text_input"] = question.placeholder
    elif isinstance(question, MultipleChoice):
        base["answer_limit"] = question.pick
        base["options"] = [option.model_dump(exclude_defaults=True) for option in question.options]
    elif isinstance(question, FreeTextWithUnit):
        base["unit_options"] = [_unit(unit) for unit in question.units]
        base["unit_position"] = question.unit_position
        if question.default_unit:
            base["default_unit"] = question.default_unit
    else:
        base.update(
            accepted_file_types=question.accepted_file_types,
            min_file_count=question.min_files,
            max_file_count=question.max_files,
            max_file_size_mb=question.max_file_size_mb,
        )
    return base


def _unit(unit: Unit) -> dict[str, Any]:
    option: dict[str, Any] = {"label": unit.label, "value": unit.value}
    if unit.min is not None or unit.max is not None:
        option["validation"] = {"type": "number", "min": unit.min, "max": unit.max}
    return option


def shown_fields(schema: dict[str, Any] | None) -> list[str]:
    """The dataset's fields a layout shows participants, in schema order."""
    fields = (schema or {}).get("fields")
    if not isinstance(fields, dict):
        return []
    return [name for name, spec in fields.items() if isinstance(spec, dict) and spec.get("type") in SHOWN_FIELD_TYPES]


def layout(questions: list[Question], fields: list[str]) -> list[dict[str, Any]]:
    """One body page: the datapoint's fields in one column, the questions beside them (1 or 2 columns)."""
    columns = []
    if fields:
        columns.append({"items": [{"type": "dataset_field", "field": name} for name in fields]})
    columns.append({"items": [item(question) for question in questions]})
    return [{"display_position": "body", "rows": [{"columns": columns}]}]
