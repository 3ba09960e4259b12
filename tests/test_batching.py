"""AsyncBatcher: concurrent single requests become batches, with a deadline and per-waiter errors."""

from __future__ import annotations

import asyncio
import time

import pytest

from edge_workers.batching import AsyncBatcher


class RecordingFn:
    """Test double for a batched model call: records batch sizes, optionally sleeps or fails."""

    def __init__(self, sleep_s: float = 0.0, fail_on: int | None = None):
        self.sizes: list[int] = []
        self.sleep_s = sleep_s
        self.fail_on = fail_on

    def __call__(self, items):
        self.sizes.append(len(items))
        if self.fail_on is not None and self.fail_on in items:
            raise RuntimeError("model exploded")
        time.sleep(self.sleep_s)
        return [x * 10 for x in items]


def test_concurrent_requests_from_several_cameras_share_one_batch():
    fn = RecordingFn()

    async def main():
        b = AsyncBatcher(fn, max_batch=8, timeout_s=0.05)
        return await asyncio.gather(*(b.submit(i) for i in range(5)))

    assert asyncio.run(main()) == [0, 10, 20, 30, 40]
    assert fn.sizes == [5]


def test_batches_never_exceed_max_batch():
    fn = RecordingFn()

    async def main():
        b = AsyncBatcher(fn, max_batch=3, timeout_s=0.05)
        return await asyncio.gather(*(b.submit(i) for i in range(7)))

    assert asyncio.run(main()) == [i * 10 for i in range(7)]
    assert max(fn.sizes) <= 3 and sum(fn.sizes) == 7


def test_a_lone_request_is_served_after_the_deadline_not_held_for_company():
    fn = RecordingFn()

    async def main():
        b = AsyncBatcher(fn, max_batch=64, timeout_s=0.02)
        t0 = time.perf_counter()
        r = await b.submit(4)
        return r, time.perf_counter() - t0

    r, dt = asyncio.run(main())
    assert r == 40 and dt < 0.5


def test_a_failing_batch_fails_its_waiters_and_the_batcher_keeps_serving():
    fn = RecordingFn(fail_on=2)

    async def main():
        b = AsyncBatcher(fn, max_batch=8, timeout_s=0.02)
        first = await asyncio.gather(b.submit(1), b.submit(2), return_exceptions=True)
        second = await b.submit(3)
        return first, second

    first, second = asyncio.run(main())
    assert all(isinstance(x, RuntimeError) for x in first)
    assert second == 30


def test_max_batch_must_be_positive():
    with pytest.raises(ValueError, match="max_batch"):
        AsyncBatcher(RecordingFn(), max_batch=0, timeout_s=0.01)
