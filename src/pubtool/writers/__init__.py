"""Writers: one module per output format, each turning a rendition into files."""
