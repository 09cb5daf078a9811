"""Reusable presentational widgets; they take plain values, never storage."""
