"""The CIN census return: reader, writer, schemas per year and the mapping to the record."""
