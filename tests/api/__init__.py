"""The API as a whole: its schema and docs, and the id filters the apps' lists share."""
