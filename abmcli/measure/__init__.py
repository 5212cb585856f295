"""abm measure: opportunities and contacts against the hub, the scorecard and its workbook."""
