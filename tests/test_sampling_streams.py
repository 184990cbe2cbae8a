"""The uniform streams behind every ranged input: uniform, independent between inputs, reproducible."""

from __future__ import annotations

import numpy as np

from app.engine import sampling

SPEC = ("hardware.price_usd_per_hour", 2.0, 1.5, 3.0)


def test_a_stream_is_uniform_on_the_unit_interval() -> None:
    u = sampling._uniforms([SPEC], 200_000, seed=0)[0]
    assert u.min() >= 0.0 and u.max() < 1.0
    # Kolmogorov-Smirnov distance to the uniform CDF; 1.63 / sqrt(n) is the 1 % critical value.
    sorted_u = np.sort(u)
    n = u.size
    distance = max(np.max(np.arange(1, n + 1) / n - sorted_u), np.max(sorted_u - np.arange(n) / n))
    assert distance < 1.63 / np.sqrt(n)


def test_streams_of_different_inputs_seeds_or_ranges_are_uncorrelated() -> None:
    others = [("hardware.max_power_w", 2.0, 1.5, 3.0), ("hardware.price_usd_per_hour", 2.0, 1.5, 3.5)]
    u = sampling._uniforms([SPEC, *others], 100_000, seed=0)
    shifted = sampling._uniforms([SPEC], 100_000, seed=1)
    lagged = u[0, 1:], u[0, :-1]  # successive samples of one stream
    for a, b in ((u[0], u[1]), (u[0], u[2]), (u[0], shifted[0]), lagged):
        assert abs(np.corrcoef(a, b)[0, 1]) < 0.015  # about 5 standard errors at this size


def test_a_stream_is_the_same_alone_with_others_and_at_any_length() -> None:
    alone = sampling._uniforms([SPEC], 1000, seed=3)[0]
    together = sampling._uniforms([("model.layers", 61.0, 50.0, 70.0), SPEC], 1000, seed=3)[1]
    longer = sampling._uniforms([SPEC], 2000, seed=3)[0]
    np.testing.assert_array_equal(alone, together)
    np.testing.assert_array_equal(alone, longer[:1000])  # more samples extend the run, never reshuffle it
