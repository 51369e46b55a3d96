"""Importers of structured records: each turns a dataset into Facts, one per source file."""
