"""Where stages run: drivers that feed whole corpora to the pure kernels (``local``: one process)."""
