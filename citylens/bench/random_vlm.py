"""Random-weight SmolVLM-architecture checkpoints, built locally for tests and benchmarks (no download)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# HuggingFaceTB/SmolVLM-256M-Instruct config.json (architectures: Idefics3ForConditionalGeneration,
# model_type idefics3): SmolLM2-135M text tower + SigLIP base-patch16-512 vision tower, 4x pixel shuffle.
SMOLVLM_256M_TEXT: dict[str, Any] = dict(
    model_type="llama", vocab_size=49280, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
    num_attention_heads=9, num_key_value_heads=3, head_dim=64, max_position_embeddings=8192,
    rope_theta=100000.0, rms_norm_eps=1e-5, hidden_act="silu",
)
SMOLVLM_256M_VISION: dict[str, Any] = dict(
    hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
    image_size=512, patch_size=16, hidden_act="gelu_pytorch_tanh", layer_norm_eps=1e-6,
)
SMOLVLM_256M_SCALE_FACTOR = 4
SMOLVLM_256M_IMAGE_TOKEN_ID = 49190  # the real tokenizer's <image> id; a local tokenizer gets its own

# A tiny member of the same family: same classes and code paths, ~0.1 M parameters, loads in milliseconds.
TINY_TEXT: dict[str, Any] = dict(
    model_type="llama", hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
    num_key_value_heads=2, max_position_embeddings=1024,
)
TINY_VISION: dict[str, Any] = dict(
    hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, image_size=32, patch_size=8,
)
TINY_SCALE_FACTOR = 2

_SPECIAL = (
    ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<end_of_utterance>", "<fake_token_around_image>",
     "<image>", "<global-img>"]
    + [f"<row_{i}_col_{j}>" for i in range(1, 7) for j in range(1, 7)]
)
_CORPUS = [
    "A person walks across the room and stops near the table.",
    "A white car is parked in the bus lane on a residential street.",
    "A man in a red jacket waits at the door; a woman carries a bag.",
    "Facts: type=loitering, zone=table, object=person, colour=white, dwell=12 s.",
    "Describe in one factual sentence what the camera shows.",
    "User: Assistant: The camera shows a truck, a bus and two bicycles.",
]
# SmolVLM's chat layout: "<|im_start|>User:<image>text<end_of_utterance>\nAssistant:".
CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{ message['role'] | capitalize }}"
    "{% if message['content'][0]['type'] == 'image' %}:{% else %}: {% endif %}"
    "{% for part in message['content'] %}{% if part['type'] == 'text' %}{{ part['text'] }}"
    "{% elif part['type'] == 'image' %}<image>{% endif %}{% endfor %}<end_of_utterance>\n{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)


def build_local_processor(image_size: int, patch_size: int, scale_factor: int, vocab_size: int = 400):
    """An Idefics3Processor whose byte-level BPE tokenizer is trained here on a few sentences.

    It has every special token the processor needs (``<image>``, ``<fake_token_around_image>``,
    ``<global-img>``, ``<row_i_col_j>``, ``<end_of_utterance>``) and SmolVLM's chat template.
    Image splitting is off, so each image is one ``image_size`` tile of
    ``(image_size // patch_size) ** 2 // scale_factor ** 2`` image tokens.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Idefics3ImageProcessor, Idefics3Processor, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=_SPECIAL, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(_CORPUS, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<|im_start|>", eos_token="<end_of_utterance>",
        pad_token="<|endoftext|>", unk_token="<|endoftext|>", additional_special_tokens=_SPECIAL[3:],
        padding_side="left",
    )
    image_processor = Idefics3ImageProcessor(
        size={"longest_edge": image_size}, max_image_size={"longest_edge": image_size}, do_image_splitting=False,
    )
    seq_len = (image_size // patch_size) ** 2 // scale_factor**2
    return Idefics3Processor(image_processor=image_processor, tokenizer=fast, image_seq_len=seq_len,
                             chat_template=CHAT_TEMPLATE)


def build_random_smolvlm(small: bool = True, seed: int = 0):
    """Return ``(model, processor)``: Idefics3ForConditionalGeneration with random weights.

    ``small=False`` gives the full SmolVLM-256M-Instruct architecture (~256 M parameters, fp32).
    """
    import torch
    from transformers import Idefics3Config, Idefics3ForConditionalGeneration

    text, vision, scale = (TINY_TEXT, TINY_VISION, TINY_SCALE_FACTOR) if small else (
        SMOLVLM_256M_TEXT, SMOLVLM_256M_VISION, SMOLVLM_256M_SCALE_FACTOR)
    processor = build_local_processor(vision["image_size"], vision["patch_size"], scale)
    tok = processor.tokenizer
    text = dict(text)
    text.setdefault("vocab_size", len(tok))
    text.update(pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    cfg = Idefics3Config(
        text_config=text, vision_config=dict(vision), scale_factor=scale,
        image_token_id=tok.convert_tokens_to_ids("<image>"), tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = Idefics3ForConditionalGeneration(cfg).eval()
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    return model, processor


def save_random_smolvlm(path: str | Path, small: bool = True, seed: int = 0) -> Path:
    """Build a random checkpoint and ``save_pretrained`` model and processor into ``path``."""
    model, processor = build_random_smolvlm(small=small, seed=seed)
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return path
