"""The published AsyncAPI contract is the one the code generates, and covers every public topic."""

import json
from typing import Any

from services.asyncapi import contract_document
from shared import topics
from tests.stack import REPO

PUBLIC_TOPICS = {
    topics.NEEDS_SUBMITTED,
    topics.OFFERS_SUBMITTED,
    topics.NEEDS_WITHDRAWN,
    topics.OFFERS_WITHDRAWN,
    topics.POSTINGS_REJECTED,
    topics.POSTINGS_DLQ,
    topics.MATCHES_SUGGESTED,
    topics.MATCHES_WITHDRAWN,
    topics.MATCHES_DECIDED,
}


def without_servers(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "servers"}


def test_committed_contract_document_is_generated_from_the_code() -> None:
    committed = json.loads((REPO / "docs/asyncapi/contract.json").read_text(encoding="utf-8"))
    generated = json.loads(json.dumps(contract_document()))
    assert without_servers(generated) == without_servers(committed), "run `make asyncapi`"


def test_contract_document_covers_every_public_topic() -> None:
    addresses = {channel["address"] for channel in contract_document()["channels"].values()}
    assert addresses == PUBLIC_TOPICS
