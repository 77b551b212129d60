"""Award pages, one module per page family: public, entries, jury, chairs."""
