"""Writing and reading .xlsx workbooks: the formatted writer, its XML row fast path,
column formats, and the facts a workbook carries."""
