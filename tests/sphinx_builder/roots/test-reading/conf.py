project = "Reading"
