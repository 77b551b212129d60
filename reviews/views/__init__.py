"""Views of the reviews app, one module per page family; `reviews.urls` routes to
them."""
