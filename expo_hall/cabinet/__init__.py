"""The exhibitor's cabinet: edit the stand in a working copy with its checks, preview it, follow its statistics."""
