project = "Reading"

# The source notice has tests of its own (test_source_notice.py); off here.
confluence_source_notice = False
