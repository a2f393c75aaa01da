project = "Tree"
