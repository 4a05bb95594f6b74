"""Placeholder: filled in by the cases pages."""

urlpatterns: list = []
