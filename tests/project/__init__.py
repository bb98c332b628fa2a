"""Project-wide guards: migrations match the models, the translations are complete."""
