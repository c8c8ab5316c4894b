"""The BERT forward pass of MiniLM in plain numpy (float32), from safetensors weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple

import numpy as np

from bot.rasa_server.nlu.arrays import Float32Array, Int64Array
from bot.rasa_server.nlu.minilm_files import EncoderFiles


@dataclass(frozen=True)
class _Layer:
    qkv_weight: Float32Array
    qkv_bias: Float32Array
    attention_out_weight: Float32Array
    attention_out_bias: Float32Array
    attention_norm: Tuple[Float32Array, Float32Array]
    intermediate_weight: Float32Array
    intermediate_bias: Float32Array
    output_weight: Float32Array
    output_bias: Float32Array
    output_norm: Tuple[Float32Array, Float32Array]


_GELU_SCALE = np.float32(np.sqrt(2.0 / np.pi))
_GELU_CUBIC = np.float32(0.044715)


def _gelu(values: Float32Array) -> Float32Array:
    # The tanh form differs from the erf form by under 1e-3 and is several times faster in numpy.
    inner = _GELU_SCALE * (values + _GELU_CUBIC * values * values * values)
    activated: Float32Array = np.float32(0.5) * values * (np.float32(1.0) + np.tanh(inner))
    return activated


def _layer_norm(values: Float32Array, norm: Tuple[Float32Array, Float32Array], eps: float) -> Float32Array:
    weight, bias = norm
    mean = values.mean(axis=-1, keepdims=True)
    centered = values - mean
    variance = (centered * centered).mean(axis=-1, keepdims=True)
    normalised: Float32Array = centered / np.sqrt(variance + eps) * weight + bias
    return normalised


def _softmax(scores: Float32Array) -> Float32Array:
    scores = scores - scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


class NumpyBert:
    """Hidden states of every word piece for a padded batch of piece ids."""

    def __init__(self, files: EncoderFiles) -> None:
        config = files.config
        self.hidden_size = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        tensors = files.tensors
        self._word_embeddings = tensors["embeddings.word_embeddings.weight"]
        self._position_embeddings = tensors["embeddings.position_embeddings.weight"]
        # Single-segment input: the segment embedding is the same row for every piece.
        self._segment_embedding = tensors["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = (
            tensors["embeddings.LayerNorm.weight"],
            tensors["embeddings.LayerNorm.bias"],
        )
        self._layers = [self._layer(tensors, index) for index in range(int(config["num_hidden_layers"]))]

    @staticmethod
    def _layer(tensors: Dict[str, Float32Array], index: int) -> _Layer:
        prefix = f"encoder.layer.{index}."

        def tensor(name: str) -> Float32Array:
            return tensors[prefix + name]

        # Query, key and value are fused into one matrix product; weights are stored
        # transposed so that a batch multiplies from the left without copies.
        qkv_weight = np.concatenate([tensor(f"attention.self.{part}.weight") for part in ("query", "key", "value")])
        qkv_bias = np.concatenate([tensor(f"attention.self.{part}.bias") for part in ("query", "key", "value")])
        return _Layer(
            qkv_weight=np.ascontiguousarray(qkv_weight.T),
            qkv_bias=qkv_bias,
            attention_out_weight=np.ascontiguousarray(tensor("attention.output.dense.weight").T),
            attention_out_bias=tensor("attention.output.dense.bias"),
            attention_norm=(
                tensor("attention.output.LayerNorm.weight"),
                tensor("attention.output.LayerNorm.bias"),
            ),
            intermediate_weight=np.ascontiguousarray(tensor("intermediate.dense.weight").T),
            intermediate_bias=tensor("intermediate.dense.bias"),
            output_weight=np.ascontiguousarray(tensor("output.dense.weight").T),
            output_bias=tensor("output.dense.bias"),
            output_norm=(tensor("output.LayerNorm.weight"), tensor("output.LayerNorm.bias")),
        )

    def __call__(self, ids: Int64Array, mask: Int64Array) -> Float32Array:
        longest = ids.shape[1]
        hidden = self._word_embeddings[ids] + self._position_embeddings[:longest] + self._segment_embedding
        hidden = _layer_norm(hidden, self._embedding_norm, self.eps)
        attention_bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        for layer in self._layers:
            hidden = self._apply_layer(layer, hidden, attention_bias)
        return hidden

    def _apply_layer(self, layer: _Layer, hidden: Float32Array, attention_bias: Float32Array) -> Float32Array:
        batch, length, size = hidden.shape
        head_size = size // self.heads
        # Dense layers multiply one 2-D matrix: numpy runs a 3-D product several times slower.
        hidden = hidden.reshape(batch * length, size)
        qkv = hidden @ layer.qkv_weight + layer.qkv_bias
        qkv = qkv.reshape(batch, length, 3, self.heads, head_size).transpose(2, 0, 3, 1, 4)
        query, key, value = qkv[0], qkv[1], qkv[2]
        scores = (query @ key.transpose(0, 1, 3, 2)) * np.float32(1.0 / np.sqrt(head_size))
        probabilities = _softmax(scores + attention_bias)
        context = (probabilities @ value).transpose(0, 2, 1, 3).reshape(batch * length, size)
        attended = context @ layer.attention_out_weight + layer.attention_out_bias
        hidden = _layer_norm(hidden + attended, layer.attention_norm, self.eps)
        intermediate = _gelu(hidden @ layer.intermediate_weight + layer.intermediate_bias)
        output = intermediate @ layer.output_weight + layer.output_bias
        return _layer_norm(hidden + output, layer.output_norm, self.eps).reshape(batch, length, size)
