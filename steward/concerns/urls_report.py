"""Placeholder: filled in by the concerns pages."""

urlpatterns: list = []
