"""Does a re-run reproduce the result hash a scenario was saved or exported with?

A saved version (and an exported scenario file) records the sha256 of the result it produced
(`ScenarioResult.hash()`); re-running it on the current data and model gives the same hash unless the data
vintage or the model changed since. The store, the CLI and the app all ask this one question here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult
    from labormatch.store import SavedVersion

SHORT_HASH_DIGITS = 12  # enough hex digits to tell results apart on screen


def short_hash(result_hash: str) -> str:
    """The first 12 hex digits of a result hash."""
    return result_hash[:SHORT_HASH_DIGITS]


@dataclass(frozen=True)
class HashCheck:
    """A recorded result hash against the hash of the re-run (both sha256 hex).

    `vintage_changed` says whether the data vintage differs from the one recorded (None when none was recorded).
    """

    recorded: str
    now: str
    vintage_changed: bool | None = None

    @property
    def reproduced(self) -> bool:
        return self.recorded == self.now

    def verdict(self) -> str:
        """'reproduced', or what the re-run gives and whether the data changed since."""
        if self.reproduced:
            return "reproduced"
        return f"differs: re-run gives {short_hash(self.now)}" + (
            " (data vintage changed since it was saved)" if self.vintage_changed else ""
        )


def check_hash(recorded: str, result: ScenarioResult, recorded_vintage: dict[str, Any] | None = None) -> HashCheck:
    """Whether `result` (a re-run) reproduces the `recorded` result hash; the vintages are compared when given."""
    vintage_changed = None if recorded_vintage is None else result.data_vintage != recorded_vintage
    return HashCheck(recorded=recorded, now=result.hash(), vintage_changed=vintage_changed)


def check_saved(saved: SavedVersion, result: ScenarioResult) -> HashCheck:
    """Whether the re-run `result` of a saved version reproduces the hash and vintage it was saved with."""
    return check_hash(saved.result_hash, result, saved.data_vintage)
