"""AsyncAPI documents generated from the code: ``python -m services.asyncapi`` (``make asyncapi``).

Writes ``docs/asyncapi/contract.json``, the public event contract v1 (SPEC section 4) built from
``shared.contracts`` and ``shared.topics``, and ``docs/asyncapi/<service>.json`` for every service
package whose ``app`` module holds a FastStream app (the document ``faststream docs gen`` writes
for that app; the API's FastAPI app has its OpenAPI document at ``/openapi.json`` instead).
"""

import argparse
import importlib
import importlib.util
import json
import pkgutil
from pathlib import Path
from typing import Any

from faststream import FastStream
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

import services
from shared import topics
from shared.contracts import (
    DeadLetter,
    MatchDecided,
    MatchSuggested,
    MatchWithdrawn,
    NeedSubmitted,
    NeedWithdrawn,
    OfferSubmitted,
    OfferWithdrawn,
    PostingRejected,
)

KEY = "Kafka key: the posting id."


def contract_broker() -> KafkaBroker:
    """A broker that is never started: its endpoints only declare the public topics and payloads.

    Subscribers are what Schakel receives from schools, providers and coordinators' tools;
    publishers are what it sends.
    """
    broker = KafkaBroker("kafka:9092", description="The Kafka cluster of a Schakel deployment.")

    @broker.subscriber(topics.NEEDS_SUBMITTED, title=topics.NEEDS_SUBMITTED)
    async def need_submitted(event: NeedSubmitted) -> None:
        """A school posts a need; a known need_id replaces the posting. Kafka key: need_id."""

    @broker.subscriber(topics.OFFERS_SUBMITTED, title=topics.OFFERS_SUBMITTED)
    async def offer_submitted(event: OfferSubmitted) -> None:
        """A provider posts an offer; a known offer_id replaces it. Kafka key: offer_id."""

    @broker.subscriber(topics.NEEDS_WITHDRAWN, title=topics.NEEDS_WITHDRAWN)
    async def need_withdrawn(event: NeedWithdrawn) -> None:
        """The school closes its need. Kafka key: need_id."""

    @broker.subscriber(topics.OFFERS_WITHDRAWN, title=topics.OFFERS_WITHDRAWN)
    async def offer_withdrawn(event: OfferWithdrawn) -> None:
        """The provider closes its offer. Kafka key: offer_id."""

    @broker.subscriber(topics.MATCHES_DECIDED, title=topics.MATCHES_DECIDED)
    async def match_decided(event: MatchDecided) -> None:
        """The RTC coordinator accepts or rejects a suggestion. Kafka key: match_id."""

    outbound = (
        (topics.MATCHES_SUGGESTED, MatchSuggested, "A candidate pair for the coordinator."),
        (topics.MATCHES_WITHDRAWN, MatchWithdrawn, "A suggestion that no longer holds."),
        (topics.POSTINGS_REJECTED, PostingRejected, "An inbound event that failed validation."),
        (topics.POSTINGS_DLQ, DeadLetter, "Inbound bytes that are not a JSON object."),
    )
    for topic, model, description in outbound:
        broker.publisher(topic, title=topic, schema=model, description=description)
    return broker


def contract_document() -> dict[str, Any]:
    """The public event contract v1 as an AsyncAPI 3.0 document."""
    specification = AsyncAPI(
        contract_broker(),
        title="Schakel public event contract",
        version="1.0.0",
        description="Events external producers send to Schakel and the events it publishes. "
        "JSON values, UTF-8; the Kafka key is the posting id (the match id on matches.decided). "
        "Optional fields may be added, names are never renamed or repurposed.",
    )
    document: dict[str, Any] = specification.to_specification().to_jsonable()
    return document


def service_documents() -> dict[str, dict[str, Any]]:
    """Service name -> the AsyncAPI document of ``services.<name>.app:app`` where that is a
    FastStream app."""
    documents = {}
    for module in pkgutil.iter_modules(services.__path__):
        app_module = f"services.{module.name}.app"
        if module.ispkg and importlib.util.find_spec(app_module) is not None:
            app = importlib.import_module(app_module).app
            if isinstance(app, FastStream):
                documents[module.name] = app.schema.to_specification().to_jsonable()
    return documents


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/asyncapi"))
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, document in {"contract": contract_document(), **service_documents()}.items():
        path = out / f"{name}.json"
        path.write_text(
            json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
