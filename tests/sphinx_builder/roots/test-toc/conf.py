project = "Toc"
