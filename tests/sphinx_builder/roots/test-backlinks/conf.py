project = "Backlinks"
