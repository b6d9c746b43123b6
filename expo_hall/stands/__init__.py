"""Stands: exhibitors' packages as plain data, and the views that show them."""
