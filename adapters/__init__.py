"""Thin bridges between platforms and the core: translate in, render out, no rules."""
