"""shared.logs: JSON lines with the bound pipeline fields, readable lines for a terminal."""

import json
import logging

from shared.logs import JsonFormatter, ReadableFormatter, event_context, pipeline_context


def record(message: str) -> logging.LogRecord:
    """A record made as a logger would make it (with the bound fields)."""
    return logging.getLogger("services.test").makeRecord(
        "services.test", logging.INFO, __file__, 1, message, (), None, extra={"topic": "t"}
    )


def test_json_lines_carry_the_bound_fields_and_extras() -> None:
    with pipeline_context(event_id="e-1", posting_id="need-1"), pipeline_context(match_id="m-1"):
        line = json.loads(JsonFormatter().format(record("applied")))
    assert line["message"] == "applied"
    assert (line["event_id"], line["posting_id"], line["match_id"]) == ("e-1", "need-1", "m-1")
    assert line["topic"] == "t"
    assert "event_id" not in json.loads(JsonFormatter().format(record("outside")))


def test_event_context_takes_the_ids_of_a_contract_event() -> None:
    class Event:
        event_id = "e-2"
        need_id = "need-2"
        match_id = "m-2"

    with event_context(Event()):
        text = ReadableFormatter().format(record("seen"))
    assert text.endswith("seen event_id=e-2 posting_id=need-2 match_id=m-2")
