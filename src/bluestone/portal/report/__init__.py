"""Report online: the question pages, the draft kept on the server, sending the report to triage."""
