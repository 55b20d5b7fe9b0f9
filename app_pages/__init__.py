"""Pages of the labormatch web app (one module per page) and their shared helpers."""
