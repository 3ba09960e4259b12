"""Collect concurrent single requests into batches with a deadline (asyncio, no Ray).

One slow camera cannot stall the others: a batch closes when it is full *or* when ``timeout_s`` has passed
since its first request, whichever comes first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class AsyncBatcher(Generic[T, R]):
    """Batch ``submit(item)`` calls into ``fn(list[item]) -> list[result]`` run in a worker thread.

    Args:
        fn: the batched function; must return one result per item, in order.
        max_batch: largest batch; higher amortises model overhead, lower bounds latency.
        timeout_s: how long the first request of a batch waits for company.

    Example:
        >>> batcher = AsyncBatcher(lambda xs: [x * 2 for x in xs], max_batch=8, timeout_s=0.01)
        >>> asyncio.run(batcher.submit(21))
        42
    """

    def __init__(self, fn: Callable[[list[T]], Sequence[R]], *, max_batch: int, timeout_s: float) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be >= 1, got {max_batch}")
        self.fn = fn
        self.max_batch = max_batch
        self.timeout_s = timeout_s
        self._queue: asyncio.Queue | None = None
        self._worker: asyncio.Task | None = None
        self.batches = 0
        self.items = 0
        self.busy_s = 0.0  # time spent inside fn over all batches (metrics: latency = busy_s / batches)

    @property
    def queued(self) -> int:
        """Requests waiting for the next batch."""
        return self._queue.qsize() if self._queue is not None else 0

    async def submit(self, item: T) -> R:
        if self._queue is None:
            self._queue = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._run())
        fut = asyncio.get_running_loop().create_future()
        await self._queue.put((item, fut))
        return await fut

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            first = await self._queue.get()
            batch = [first]
            deadline = loop.time() + self.timeout_s
            while len(batch) < self.max_batch:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), remaining))
                except asyncio.TimeoutError:
                    break
            items = [it for it, _ in batch]
            t0 = loop.time()
            try:
                results = await asyncio.to_thread(self.fn, items)
                if len(results) != len(items):
                    raise RuntimeError(f"batched function returned {len(results)} results for {len(items)} items")
            except Exception as e:  # every waiter learns of the failure; the loop lives on
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(e)
                continue
            self.batches += 1
            self.items += len(items)
            self.busy_s += loop.time() - t0
            for (_, fut), res in zip(batch, results):
                if not fut.done():
                    fut.set_result(res)
