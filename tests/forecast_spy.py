"""A spy on the forecast pipeline's candidate models: every `estimate` and `predict` call is reported."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from labormatch.forecast import pipeline


def spy_on_candidates(monkeypatch, record: Callable[[str, str, bool, np.ndarray], None]) -> None:
    """Wrap `pipeline.candidate` so each call reports `record(kind, model name, handles_missing, copy of y)`,
    kind "estimate" or "predict", then runs the real model."""
    real_candidate = pipeline.candidate

    def spy(name, seasonal=True):
        real = real_candidate(name, seasonal)

        class Spy:
            handles_missing = real.handles_missing

            def estimate(self, y, start=None):
                record("estimate", name, real.handles_missing, y.copy())
                return real.estimate(y, start)

            def predict(self, y, params, h):
                record("predict", name, real.handles_missing, y.copy())
                return real.predict(y, params, h)

        return Spy()

    monkeypatch.setattr(pipeline, "candidate", spy)
