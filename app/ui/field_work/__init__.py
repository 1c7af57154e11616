"""Field work screens: the visit dialog, the sub-project page and the visit list."""
