"""A published model as the matcher applies it, and its bytes in the database."""

import hashlib
import hmac
import io
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import SecretStr
from sklearn.pipeline import Pipeline

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.learning.features import FEATURES, feature_matrix, pairs_of
from services.matcher.learning.training import acceptance


class RefusedModel(Exception):  # noqa: N818 - a model the matcher will not use is a fact to report
    """A stored model the matcher does not rank with: the weights rank instead."""


class IncompatibleModel(RefusedModel):
    """A stored model trained on other features than this code builds."""


class UnsignedModel(RefusedModel):
    """A stored model whose signature is missing or not made with our signing key."""


@dataclass(frozen=True, slots=True)
class LearnedModel:
    """One published version: the probability of acceptance of candidate pairs."""

    version: int
    pipeline: Pipeline

    def scores(
        self,
        needs: Sequence[NeedProfile],
        offers: Sequence[OfferProfile],
        components: Mapping[str, np.ndarray],
        distance_km: np.ndarray,
    ) -> np.ndarray:
        """Per pair (``needs[i]``, ``offers[i]``), the probability the coordinator accepts it."""
        pairs = pairs_of(needs, offers, components, distance_km)
        return acceptance(self.pipeline, feature_matrix(pairs))


def dump(pipeline: Pipeline) -> bytes:
    """The bytes stored for a pipeline, with the feature names it was trained on."""
    buffer = io.BytesIO()
    pickle.dump({"features": FEATURES, "pipeline": pipeline}, buffer, protocol=5)
    return buffer.getvalue()


def signature(key: SecretStr, version: int, stored: bytes) -> str:
    """HMAC-SHA256 under ``key`` of the version and the stored bytes (hex): another row's
    bytes, or bytes written by anyone without the key, do not verify."""
    signed = f"{version}.".encode() + stored
    return hmac.new(key.get_secret_value().encode(), signed, hashlib.sha256).hexdigest()


def load(version: int, stored: bytes, signed: str | None, key: SecretStr) -> LearnedModel:
    """A stored model; raise ``UnsignedModel`` unless ``signed`` is its signature under ``key``
    (checked before a byte is unpickled), ``IncompatibleModel`` if its features are not this
    code's."""
    if signed is None or not hmac.compare_digest(signature(key, version, stored), signed):
        raise UnsignedModel(f"model {version} does not carry our signature")
    # Pickle runs code on load: only bytes signed by the learning job get here.
    content = pickle.loads(stored)  # noqa: S301
    if tuple(content["features"]) != FEATURES:
        raise IncompatibleModel(f"model {version} was trained on other features")
    return LearnedModel(version, content["pipeline"])
