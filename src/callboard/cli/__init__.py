"""The command line: a thin layer; each command calls one library function and prints."""
