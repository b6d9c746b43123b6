"""The stand window's tabs, one class per file: each fills a pygame-gui panel it is given."""
