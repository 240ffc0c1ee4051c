"""Request bodies documented with the event contract's own JSON schema (minus ``event_id``)."""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

_REF_TEMPLATE = "#/components/schemas/{model}"


def contract_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` of a route whose JSON body is ``model`` without its ``event_id``."""
    schema = model.model_json_schema(ref_template=_REF_TEMPLATE)
    schema.pop("$defs", None)
    schema["properties"].pop("event_id", None)
    schema["required"] = [name for name in schema.get("required", []) if name != "event_id"]
    schema["title"] = f"{model.__name__} body"
    content = {"application/json": {"schema": schema}}
    return {"requestBody": {"required": True, "content": content}}


def add_contract_schemas(app: FastAPI, models: tuple[type[BaseModel], ...]) -> None:
    """Put the nested parts of ``models`` (School, Period, ...) into the OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            defs = model.model_json_schema(ref_template=_REF_TEMPLATE).get("$defs", {})
            for name, schema in defs.items():
                schemas.setdefault(name, schema)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
