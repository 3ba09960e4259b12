"""Prometheus metrics of an edge process: per camera fps in/out, frames, drops, stride / shed level / degraded
accuracy, the box detector's latency and queue, caption latency, and spool bytes on disk; served by
prometheus_client's own HTTP server.

Values are read from the actors when Prometheus scrapes (``check_health`` and ``stats`` run in the actors'
own concurrency group, so a long inference does not block a scrape).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily

log = logging.getLogger(__name__)


def _dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except OSError:  # rotated away between listing and stat
                pass
    return total


class EdgeCollector:
    """Reads ``supervisor.health()`` and the detector/captioner ``stats()`` at scrape time."""

    def __init__(self, supervisor, spool_dir: str | os.PathLike | None) -> None:
        self.sup = supervisor
        self.spool_dir = Path(spool_dir) if spool_dir else None

    def describe(self):
        return []

    def collect(self):
        import ray

        lab = ["camera", "box"]
        fps_in = GaugeMetricFamily("citylens_edge_camera_fps_in", "Frames per second read from the source", labels=lab)
        fps_out = GaugeMetricFamily("citylens_edge_camera_fps_out", "Frames per second analysed", labels=lab)
        frames = CounterMetricFamily("citylens_edge_camera_frames", "Frames by what happened to them",
                                     labels=[*lab, "outcome"])
        dropped = CounterMetricFamily("citylens_edge_camera_dropped_frames", "Frames dropped because analysis fell "
                                      "behind (newest frame wins)", labels=lab)
        up = GaugeMetricFamily("citylens_edge_camera_state", "1 for the camera's current state", labels=[*lab, "state"])
        pending = GaugeMetricFamily("citylens_edge_camera_captions_pending", "Incidents waiting for a caption", labels=lab)
        # load shedding, named as in the health event and /cameras (stride, shed_level, degraded)
        stride = GaugeMetricFamily("citylens_edge_camera_stride", "The camera analyses one frame in this many now "
                                   "(adaptive stride and load shedding)", labels=lab)
        shed = GaugeMetricFamily("citylens_edge_camera_shed_level", "Load-shedding level (0 = none); idle cameras "
                                 "shed first", labels=lab)
        degraded = GaugeMetricFamily("citylens_edge_camera_degraded", "1 while shedding lowers the rate of a camera "
                                     "with objects near its lines/zones (counts may be missed)", labels=lab)
        spool = GaugeMetricFamily("citylens_edge_spool_bytes", "Bytes of events spooled on disk while Redis is away",
                                  labels=lab)
        for h in self.sup.health():
            v = [h.camera_id, h.box]
            fps_in.add_metric(v, h.fps_in)
            fps_out.add_metric(v, h.fps_out)
            for outcome, n in (("read", h.frames_in), ("processed", h.frames_processed), ("gated", h.frames_gated)):
                frames.add_metric([*v, outcome], n)
            dropped.add_metric(v, h.frames_dropped)
            up.add_metric([*v, h.state.value if hasattr(h.state, "value") else str(h.state)], 1)
            pending.add_metric(v, h.captions_pending)
            stride.add_metric(v, h.stride)
            shed.add_metric(v, h.shed_level)
            degraded.add_metric(v, 1 if h.degraded else 0)
            if self.spool_dir is not None:
                spool.add_metric(v, _dir_bytes(self.spool_dir / h.camera_id))
        yield from (fps_in, fps_out, frames, dropped, up, pending, stride, shed, degraded)
        if self.spool_dir is not None:
            yield spool
        detect = SummaryMetricFamily("citylens_edge_detect_latency_seconds", "Detector time per batch", labels=["box"])
        batch_items = CounterMetricFamily("citylens_edge_detect_frames", "Frames detected", labels=["box"])
        queue = GaugeMetricFamily("citylens_edge_detect_queue_depth", "Frames waiting for the box's detector",
                                  labels=["box"])
        for box, actor in self.sup.detectors.items():
            try:
                st = ray.get(actor.stats.remote(), timeout=5)
            except Exception as e:  # noqa: BLE001 - a dead detector is missing from this scrape, and logged
                log.warning("edge metrics: detector of %s did not answer: %s", box, e)
                continue
            detect.add_metric([box], count_value=st["batches"], sum_value=st.get("busy_s", 0.0))
            batch_items.add_metric([box], st["frames"])
            queue.add_metric([box], st.get("queued", 0))
        yield from (detect, batch_items, queue)
        if self.sup.captioner is not None:
            try:
                st = ray.get(self.sup.captioner.stats.remote(), timeout=5)
            except Exception as e:  # noqa: BLE001
                log.warning("edge metrics: captioner did not answer: %s", e)
                return
            yield SummaryMetricFamily("citylens_edge_caption_latency_seconds", "Captioner time per batch",
                                      count_value=st["batches"], sum_value=st.get("busy_s", 0.0))
            yield GaugeMetricFamily("citylens_edge_caption_queue_depth", "Captions waiting for the captioner",
                                    value=st.get("queued", 0))


def serve_edge_metrics(supervisor, *, port: int, addr: str = "127.0.0.1", spool_dir: str | None = None):
    """Start the metrics HTTP server (a daemon thread); returns (server, thread, registry)."""
    registry = CollectorRegistry(auto_describe=True)
    registry.register(EdgeCollector(supervisor, spool_dir))
    server, thread = start_http_server(port, addr=addr, registry=registry)
    log.warning("edge metrics at http://%s:%d/metrics", addr, server.server_address[1])
    return server, thread, registry


__all__ = ["EdgeCollector", "serve_edge_metrics"]
