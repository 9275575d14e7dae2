"""Exercise library, programs, and the return-to-run ladder with its progression rules."""
