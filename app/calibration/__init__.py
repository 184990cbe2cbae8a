"""Fit and check the serving model against measured serving energy (``jevons calibrate``)."""
