"""The journey record: the child's story from contact to care leaving, in the DfE's vocabulary."""
