"""The files a command publishes: the merge's hub workbook and CSVs."""
