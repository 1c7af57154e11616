"""The city's master list in Excel: reading it into the register and writing it back out."""
