"""Demo: seed_demo and run_embedded (`make run`), and every app's demo data."""
