project = "Titles"
