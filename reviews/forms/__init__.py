"""Forms of the reviews app, one module per concept: they validate and hand
cleaned_data to a service."""
