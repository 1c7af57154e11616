"""总规表 screens: importing a county's master-list workbook (preview, then commit)."""
