"""Models are signed by the learning job and verified before a byte is unpickled: a row written
by anyone without ``MODEL_SIGNING_KEY`` (tampered bytes, another row's signature, a missing or
foreign-key signature) is refused and never runs its pickle."""

import logging
import pickle

import pytest
from pydantic import SecretStr
from sklearn.pipeline import Pipeline
from sqlalchemy import delete

from services.matcher.learning.model import UnsignedModel, dump, load, signature
from services.matcher.learning.registry import load_model
from services.matcher.learning.settings import LearningSettings
from services.matcher.learning.tables import RankingModel
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from tests.learning.conftest import Sessions

KEY = LearningSettings().model_signing_key
UNPICKLED: list[str] = []


def _record_unpickling(marker: str) -> str:
    UNPICKLED.append(marker)
    return marker


class Payload:
    """A pickle that runs code when loaded, as an attacker's would."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return _record_unpickling, ("ran",)


HOSTILE = pickle.dumps(Payload())


def test_the_learning_jobs_signature_loads(pipeline: Pipeline) -> None:
    stored = dump(pipeline)
    assert load(3, stored, signature(KEY, 3, stored), KEY).version == 3


@pytest.mark.parametrize(
    "signed",
    [
        None,
        "",
        signature(KEY, 3, b"other bytes"),
        signature(KEY, 4, HOSTILE),  # the signature of another version
        signature(SecretStr("a key the attacker chose"), 3, HOSTILE),
        "0" * 64,
    ],
)
def test_a_model_without_our_signature_is_refused_before_unpickling(signed: str | None) -> None:
    UNPICKLED.clear()
    with pytest.raises(UnsignedModel):
        load(3, HOSTILE, signed, KEY)
    assert UNPICKLED == []


async def _stored(sessions: Sessions, model: bytes, signed: str | None) -> int:
    async with sessions.begin() as session:
        row = RankingModel(trained_on=1, metrics={}, published=False, model=model, signature=signed)
        session.add(row)
    return row.version


async def test_a_tampered_model_row_is_refused_and_a_signed_one_loads(
    sessions: Sessions, pipeline: Pipeline
) -> None:
    UNPICKLED.clear()
    genuine = dump(pipeline)
    signed = await _stored(sessions, genuine, None)
    async with sessions.begin() as session:
        row = await session.get(RankingModel, signed)
        assert row is not None
        row.signature = signature(KEY, signed, genuine)
    tampered = await _stored(sessions, HOSTILE, signature(KEY, signed, genuine))
    unsigned = await _stored(sessions, HOSTILE, None)
    try:
        async with sessions() as session:
            assert (await load_model(session, signed, KEY)).version == signed
            for version in (tampered, unsigned):
                with pytest.raises(UnsignedModel):
                    await load_model(session, version, KEY)
        assert UNPICKLED == []
    finally:
        async with sessions.begin() as session:
            versions = (signed, tampered, unsigned)
            await session.execute(delete(RankingModel).where(RankingModel.version.in_(versions)))


async def test_the_matcher_refuses_a_tampered_published_model_without_unpickling_it(
    sessions: Sessions, pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    UNPICKLED.clear()
    tampered = await _stored(sessions, HOSTILE, signature(KEY, 1, dump(pipeline)))
    async with sessions.begin() as session:
        row = await session.get(RankingModel, tampered)
        assert row is not None
        row.published = True  # what an attacker with the table's write access does
    try:
        service = MatcherService(sessions, MatcherSettings())
        with caplog.at_level(logging.WARNING, logger="services.matcher.follow"):
            await service.follow_ranking()  # every kind group meets the newest published one
        refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert refusals and all(f"model {tampered} does not carry" in m for m in refusals)
        assert UNPICKLED == []
    finally:
        async with sessions.begin() as session:
            await session.execute(delete(RankingModel).where(RankingModel.version == tampered))
