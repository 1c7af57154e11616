"""帮助: the user guide window (F1) and the about dialog."""
