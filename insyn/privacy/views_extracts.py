"""Register extracts are served only through a view that checks the right to the request they belong to."""
