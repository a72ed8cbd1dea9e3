"""The public portal: report online, follow my case. Its own URLs and sign-in; no staff session."""
