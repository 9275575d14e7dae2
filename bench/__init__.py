"""`make bench`: the performance benchmark (README, "Performance"). Not part of the app."""
