"""Reading vendor files: bytes to tables (read), headers to families and fields (layouts),
canonical source frames (load), and the quality report of one file (inspect)."""
