"""A published model as the matcher applies it, and its bytes in the database."""

import io
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.pipeline import Pipeline

from services.learning.features import FEATURES, feature_matrix, pairs_of
from services.learning.training import acceptance
from services.matcher.domain import NeedProfile, OfferProfile


class IncompatibleModel(Exception):  # noqa: N818 - a model of other features is a fact to report
    """A stored model trained on other features than this code builds."""


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


def load(version: int, stored: bytes) -> LearnedModel:
    """A stored model; raise ``IncompatibleModel`` if its features are not this code's."""
    # Pickle runs code on load: these bytes only ever come from our own ranking_models table.
    content = pickle.loads(stored)  # noqa: S301
    if tuple(content["features"]) != FEATURES:
        raise IncompatibleModel(f"model {version} was trained on other features")
    return LearnedModel(version, content["pipeline"])
