"""Input checks and set operations on pair keys for :class:`.solver.Instance`."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]

__all__ = ["check_range", "member", "pairs_of", "per_entity"]


def check_range(name: str, values: IntArray, size: int) -> None:
    if values.size and (values.min() < 0 or values.max() >= size):
        raise ValueError(f"{name} index out of range [0, {size})")


def per_entity(name: str, value: int | ArrayLike, size: int) -> IntArray:
    array = np.asarray(value)
    if array.ndim == 0:
        array = np.full(size, int(array), dtype=np.int64)
    array = array.astype(np.int64)
    if array.shape != (size,):
        raise ValueError(f"{name} must be a scalar or have {size} entries")
    if (array < 0).any():
        raise ValueError(f"{name} must be >= 0")
    return array


def pairs_of(
    name: str, value: ArrayLike | None, submission_count: int, reviewer_count: int
) -> IntArray:
    if value is None:
        return np.zeros((0, 2), dtype=np.int64)
    array = np.asarray(value, dtype=np.int64).reshape(-1, 2)
    check_range(f"{name} paper", array[:, 0], submission_count)
    check_range(f"{name} reviewer", array[:, 1], reviewer_count)
    return array


def member(sorted_keys: IntArray, keys: IntArray) -> NDArray[np.bool_]:
    """Mask over ``sorted_keys``: which of them occur in ``keys``."""
    keys = np.unique(keys)
    pos = np.searchsorted(keys, sorted_keys)
    pos[pos == keys.size] = 0
    return keys[pos] == sorted_keys if keys.size else np.zeros(sorted_keys.size, bool)
