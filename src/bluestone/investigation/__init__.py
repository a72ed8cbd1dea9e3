"""Investigation plans, lines of enquiry, supervisory reviews, suspect events, bail, CPS and outcome decisions."""
