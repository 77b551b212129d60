"""The proceedings pages, one module per page family: `camera_ready` (authors'
final version, slides and poster; the chairs' progress and extensions),
`exports` (chairs' downloads and the programme) and `public` (the accepted
papers after release)."""
