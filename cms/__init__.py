"""Wagtail good-practice bank (public schema only). Wagtail itself is installed and served
on the public domain at /cms/ (admin) and /practicas/ (pages)."""
