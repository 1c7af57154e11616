"""档案验收 screens: the acceptance list, the acceptance dialog, the PDF preview."""
