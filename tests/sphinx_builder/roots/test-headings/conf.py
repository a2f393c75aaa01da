project = "Headings"
