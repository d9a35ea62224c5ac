"""Importers and exporters: files in and out of chiso."""
