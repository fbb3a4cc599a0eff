"""Semantic similarity from WordLlama: static token embeddings shipped inside its PyPI wheel.

It needs numpy, safetensors and tokenizers, no PyTorch, and reads its 256-dimension weights
and tokenizer from the installed package. WordLlama 0.4 looks for the tokenizer under a folder
name that its wheel does not use and would then download it, so we point its cache folder at
the package itself and forbid downloads: loading never touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float32]


class Embedder:
    """Loads the model on first use, once, and embeds texts as unit vectors."""

    def __init__(self) -> None:
        self._model: Any = None

    def load(self) -> None:
        if self._model is None:
            import wordllama  # imported here: only processes that match answers pay for it

            package = Path(wordllama.__file__).parent
            self._model = wordllama.WordLlama.load(cache_dir=package, disable_download=True)

    def embed(self, texts: Sequence[str]) -> Matrix:
        self.load()
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        vectors: Matrix = self._model.embed(list(texts), norm=True)
        return vectors.astype(np.float32, copy=False)
