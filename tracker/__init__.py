"""Seguimiento del plan de trabajo de la estrategia de resiliencia."""

__version__ = "0.1.0"
