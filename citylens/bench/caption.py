"""Caption latency/throughput bench: plain HF generate vs static KV cache (+ compiled decoder on CUDA)."""

from __future__ import annotations

import json
import statistics
import time
from typing import Any, Sequence

import numpy as np


def _sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _timed(fn, device) -> float:
    _sync(device)
    t0 = time.perf_counter()
    fn()
    _sync(device)
    return time.perf_counter() - t0


def run_caption_bench(device: str = "auto", random_weights: bool = True, batch_sizes: Sequence[int] = (1, 4),
                      image_size: int = 512, new_tokens: int = 32, small: bool = False,
                      runs: int | None = None) -> dict[str, Any]:
    """Measure single-caption latency (p50) and captions/s per batch size for two generation paths.

    * ``baseline``: ``model.generate`` with the default dynamic KV cache.
    * ``candidate``: ``cache_implementation="static"``; on CUDA transformers then compiles the decoder's
      forward with ``torch.compile`` for the decode steps (its auto-compile for compileable caches).

    The model is SmolVLM-256M-Instruct's architecture (``small=False``, see
    :mod:`citylens.bench.random_vlm` for the config values) or a tiny one (``small=True``), with
    random weights and a locally built processor, so nothing is downloaded. Every call generates exactly
    ``new_tokens`` tokens (``min_new_tokens``), so random weights stopping early cannot flatter a path.
    ``random_weights=False`` loads the real checkpoint through :class:`~pipeline.caption.vlm.VlmCaptioner`.
    Images are one ``image_size`` tile each (no splitting), as the captioner sends them.

    Returns a JSON-serialisable dict: device, dtype, model facts, per-path ``latency_ms_p50`` and
    ``captions_per_s`` by batch size, and ``ratios`` (baseline / candidate latency, candidate / baseline
    throughput; > 1 means the candidate is faster).
    """
    import torch

    dev = torch.device("cuda" if device == "auto" and torch.cuda.is_available()
                       else ("cpu" if device == "auto" else device))
    dtype = torch.bfloat16 if dev.type == "cuda" else torch.float32
    t_build = time.perf_counter()
    if random_weights:
        from citylens.bench.random_vlm import build_random_smolvlm

        model, processor = build_random_smolvlm(small=small)
        model = model.to(dev, dtype=dtype)
        # the local processor tiles at the checkpoint's vision size; a different bench size resizes to it
        processor.image_processor.size = {"longest_edge": image_size}
        model_name = "random:" + ("tiny" if small else "SmolVLM-256M-Instruct")
    else:
        from pipeline.caption.vlm import DEFAULT_VLM, VlmCaptioner

        cap = VlmCaptioner(DEFAULT_VLM, device=str(dev))
        model, processor, model_name = cap.model, cap.processor, DEFAULT_VLM
    processor.tokenizer.padding_side = "left"
    build_s = time.perf_counter() - t_build

    # CPU is ~100x slower than a GPU here: fewer repetitions keep the default CPU run under ~3 minutes.
    warmup = 2 if dev.type == "cuda" else 1
    reps = runs if runs is not None else (7 if dev.type == "cuda" else 2)
    rng = np.random.default_rng(0)
    prompt = processor.apply_chat_template(
        [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text":
          "Facts: type=loitering, zone=table, object=person, colour=white, dwell=12 s. "
          "Describe in one factual sentence what the camera shows."}]}], add_generation_prompt=True)

    def inputs_for(batch: int) -> dict[str, Any]:
        images = [[rng.integers(0, 255, (432, 768, 3), dtype=np.uint8)] for _ in range(batch)]
        enc = processor(text=[prompt] * batch, images=images, padding=True, return_tensors="pt",
                        do_image_splitting=False)
        return {k: (v.to(dev, dtype=dtype) if v.is_floating_point() else v.to(dev)) for k, v in enc.items()}

    encoded = {b: inputs_for(b) for b in sorted(set(batch_sizes) | {1})}
    gen_kw = dict(max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False)
    paths = {"baseline": {}, "candidate": {"cache_implementation": "static"}}
    results: dict[str, Any] = {}
    for name, extra in paths.items():
        def gen(b: int, extra=extra) -> None:
            with torch.inference_mode():
                model.generate(**encoded[b], **gen_kw, **extra)

        # Warm-up per shape on CUDA (compiled graphs and static caches are per shape); on CPU nothing is
        # compiled, so one batch-1 warm-up per path suffices and saves minutes.
        for b in (encoded if dev.type == "cuda" else [1]):
            for _ in range(warmup):
                gen(b)
        single = [_timed(lambda: gen(1), dev) for _ in range(reps)]
        per_batch = {}
        for b in batch_sizes:
            times = single if b == 1 else [_timed(lambda b=b: gen(b), dev) for _ in range(max(1, reps // 2))]
            per_batch[str(b)] = round(b / statistics.median(times), 3)
        results[name] = {"latency_ms_p50": round(statistics.median(single) * 1000.0, 2), "captions_per_s": per_batch}

    base, cand = results["baseline"], results["candidate"]
    n_params = sum(p.numel() for p in model.parameters())
    return {
        "model": model_name,
        "architecture": type(model).__name__,
        "params_m": round(n_params / 1e6, 1),
        "device": str(dev) if dev.type != "cuda" else torch.cuda.get_device_name(dev),
        "dtype": str(dtype).removeprefix("torch."),
        "image_size": image_size,
        "image_tokens": int(processor.image_seq_len),
        "prompt_tokens": int(encoded[1]["input_ids"].shape[1]),
        "new_tokens": new_tokens,
        "warmup": warmup,
        "runs": reps,
        "build_s": round(build_s, 1),
        "baseline": base,
        "candidate": {**cand, "path": "static KV cache" + (" + torch.compile decoder" if dev.type == "cuda" else "")},
        "ratios": {
            "latency_speedup": round(base["latency_ms_p50"] / cand["latency_ms_p50"], 3),
            "throughput_speedup": {b: round(cand["captions_per_s"][b] / base["captions_per_s"][b], 3)
                                   for b in base["captions_per_s"]},
        },
    }


if __name__ == "__main__":  # python -m citylens.bench.caption [--small]
    import sys

    print(json.dumps(run_caption_bench(small="--small" in sys.argv), indent=2))
