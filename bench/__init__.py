"""The benchmark instrument (issue 9): `python -m bench --scale tiny|county|platform|
national` loads a benchmark database with COPY, measures each figure against its
target, and writes bench/results/latest.json and latest.md. See bench/README.md.

Nothing here is imported by the product; the bench's own settings (bench.settings)
add one trivial page for comparison (bench.urls)."""
